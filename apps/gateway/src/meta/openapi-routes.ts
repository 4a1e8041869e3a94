import { buildOpenApiDocument, getOpenApiDocumentOperation } from "@dsc/api-client";
import type { FastifyInstance } from "fastify";
import { serveOperation } from "../operations/serve-operation.ts";

/** GET /v1/openapi.json: the document generated from the contract, built once at start-up. */
export function registerOpenApiRoutes(app: FastifyInstance) {
  const document = JSON.stringify(buildOpenApiDocument({ serverUrl: "/" }));
  serveOperation(
    app,
    getOpenApiDocumentOperation,
  )(async ({ reply }) => reply.type("application/json; charset=utf-8").send(document));
}
