import { retrieveFileOperation } from "@dsc/api-client";
import { retrieveFile } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { toFileObject } from "./file-object.ts";
import { fileDeps, fileIdOf } from "./file-route-context.ts";

/** GET /v1/files/{file_id} */
export function registerRetrieveFile(app: FastifyInstance, deps: GatewayDeps) {
  serveOperation(
    app,
    retrieveFileOperation,
  )(async ({ request, params }) =>
    toFileObject(
      await retrieveFile(fileDeps(deps), {
        organizationId: principalOf(request).organizationId,
        fileId: fileIdOf(params),
      }),
    ),
  );
}
