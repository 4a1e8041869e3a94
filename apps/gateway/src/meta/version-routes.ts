import { API_VERSIONS, CURRENT_API_VERSION, listApiVersionsOperation } from "@dsc/api-client";
import type { FastifyInstance } from "fastify";
import { serveOperation } from "../operations/serve-operation.ts";

/** GET /v1/versions: the version table that Deprecation headers link to. */
export function registerVersionRoutes(app: FastifyInstance) {
  serveOperation(
    app,
    listApiVersionsOperation,
  )(async () => ({
    object: "list",
    current: CURRENT_API_VERSION,
    data: [...API_VERSIONS],
  }));
}
