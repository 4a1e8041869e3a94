import { API_VERSIONS, type ApiVersionList, CURRENT_API_VERSION } from "@dsc/api-client";
import type { FastifyInstance } from "fastify";

/** GET /v1/versions: the version table that Deprecation headers link to. */
export function registerVersionRoutes(app: FastifyInstance) {
  app.get(
    "/v1/versions",
    { config: { scope: "public" } },
    async (): Promise<ApiVersionList> => ({
      object: "list",
      current: CURRENT_API_VERSION,
      data: [...API_VERSIONS],
    }),
  );
}
