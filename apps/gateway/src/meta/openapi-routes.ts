import { buildOpenApiDocument } from "@dsc/api-client";
import type { FastifyInstance } from "fastify";

/** GET /v1/openapi.json: the document generated from the contract, built once at start-up. */
export function registerOpenApiRoutes(app: FastifyInstance) {
  const document = JSON.stringify(buildOpenApiDocument({ serverUrl: "/" }));
  app.get("/v1/openapi.json", { config: { scope: "public" } }, async (_request, reply) =>
    reply.type("application/json; charset=utf-8").send(document),
  );
}
