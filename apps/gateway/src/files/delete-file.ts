import { deleteFileOperation } from "@dsc/api-client";
import { deleteFile } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { actorOf, fileDeps, fileIdOf } from "./file-route-context.ts";

/** DELETE /v1/files/{file_id} */
export function registerDeleteFile(app: FastifyInstance, deps: GatewayDeps) {
  serveOperation(
    app,
    deleteFileOperation,
  )(async ({ request, params }) => {
    const { id, storageError } = await deleteFile(fileDeps(deps), {
      organizationId: principalOf(request).organizationId,
      fileId: fileIdOf(params),
      actor: actorOf(request),
    });
    if (storageError) {
      request.log.warn({ err: storageError, file: id }, "file bytes not deleted; the orphan sweeper will");
    }
    return { id, object: "file", deleted: true };
  });
}
