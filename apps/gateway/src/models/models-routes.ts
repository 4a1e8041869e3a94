import type { ModelList, Model as ModelObject } from "@dsc/api-client";
import { findModelForOrganization, listModelsForOrganization } from "@dsc/core";
import type { Model } from "@dsc/db";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { principalOf } from "../plugins/authenticate.ts";

/** GET /v1/models and /v1/models/{model}: the models the caller's tier may use. */
export function registerModelRoutes(app: FastifyInstance, deps: GatewayDeps) {
  app.get("/v1/models", { config: { scope: "models:read" } }, async (request): Promise<ModelList> => {
    const models = await listModelsForOrganization(deps, principalOf(request).organizationId);
    return { object: "list", data: models.map(toModelObject) };
  });

  app.get<{ Params: { model: string } }>(
    "/v1/models/:model",
    { config: { scope: "models:read" } },
    async (request): Promise<ModelObject> =>
      toModelObject(
        await findModelForOrganization(deps, principalOf(request).organizationId, request.params.model),
      ),
  );
}

function toModelObject(model: Model): ModelObject {
  return {
    id: model.id,
    object: "model",
    created: Math.floor(model.createdAt.getTime() / 1000),
    owned_by: model.ownedBy,
    ...(model.shutdownAt ? { shutdown_date: model.shutdownAt.toISOString().slice(0, 10) } : {}),
  };
}
