import { createFileOperation } from "@dsc/api-client";
import { uploadFile } from "@dsc/core";
import { errorCodes, type FastifyInstance, type FastifyRequest } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { toFileObject } from "./file-object.ts";
import { actorOf, fileDeps } from "./file-route-context.ts";
import { uploadParts } from "./upload-parts.ts";

/** POST /v1/files: a multipart upload, streamed to storage. Register inside the multipart scope. */
export function registerCreateFile(app: FastifyInstance, deps: GatewayDeps) {
  serveOperation(
    app,
    createFileOperation,
  )(async ({ request }) => {
    // a body-less POST reaches here without a content type; every other type is a 415 already
    if (!request.isMultipart()) {
      throw new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers["content-type"] ?? "(none)");
    }
    const principal = principalOf(request);
    try {
      const file = await uploadFile(fileDeps(deps), {
        organizationId: principal.organizationId,
        apiKeyId: principal.kind === "api_key" ? principal.credentialId : null,
        actor: actorOf(request),
        parts: uploadParts(request),
      });
      return toFileObject(file);
    } catch (error) {
      discardRestOfBody(request);
      throw error;
    }
  });
}

/**
 * A refused upload may stop reading mid-body (a file too large, a bad field before the file).
 * The rest is read and dropped, so the client, still sending, gets the answer and not a reset.
 */
function discardRestOfBody(request: FastifyRequest) {
  const raw = request.raw;
  if (raw.readableEnded || raw.destroyed) return;
  raw.unpipe();
  raw.resume();
}
