import { retrieveFileContentOperation } from "@dsc/api-client";
import { openFileContent } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { contentDisposition } from "./content-disposition.ts";
import { fileDeps, fileIdOf } from "./file-route-context.ts";

/** GET /v1/files/{file_id}/content: the bytes, streamed from storage as they are read. */
export function registerFileContent(app: FastifyInstance, deps: GatewayDeps) {
  serveOperation(
    app,
    retrieveFileContentOperation,
  )(async ({ request, reply, params }) => {
    const { file, stream, bytes } = await openFileContent(fileDeps(deps), {
      organizationId: principalOf(request).organizationId,
      fileId: fileIdOf(params),
    });
    return (
      reply
        .header("content-type", file.contentType)
        .header("content-length", String(bytes))
        .header("content-disposition", contentDisposition(file.filename))
        // the bytes are the user's: never let a browser sniff, render or run them here
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("cache-control", "private, no-store")
        .send(stream)
    );
  });
}
