import { listFilesOperation } from "@dsc/api-client";
import { listFiles } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { toFileObject } from "./file-object.ts";
import { fileDeps } from "./file-route-context.ts";

/** GET /v1/files: a page of the caller's organization's files. */
export function registerListFiles(app: FastifyInstance, deps: GatewayDeps) {
  serveOperation(
    app,
    listFilesOperation,
  )(async ({ request, query }) => {
    const { files, hasMore } = await listFiles(fileDeps(deps), {
      organizationId: principalOf(request).organizationId,
      ...query,
    });
    return {
      object: "list",
      data: files.map(toFileObject),
      first_id: files[0]?.id ?? null,
      last_id: files.at(-1)?.id ?? null,
      has_more: hasMore,
    };
  });
}
