import {
  listModelsOperation,
  type Model as ModelObject,
  retrieveModelOperation,
  unixSeconds,
} from "@dsc/api-client";
import { modelAvailableTo, modelsAvailableTo } from "@dsc/core";
import type { Model } from "@dsc/db";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import { organizationOf } from "../plugins/organization-of.ts";

/** GET /v1/models and /v1/models/{model}: the models the caller's tier may use. */
export function registerModelRoutes(app: FastifyInstance, deps: GatewayDeps) {
  serveOperation(
    app,
    listModelsOperation,
  )(async ({ request }) => {
    const models = modelsAvailableTo(await organizationOf(deps, request), deps.clock.now());
    return { object: "list", data: models.map(toModelObject) };
  });

  serveOperation(
    app,
    retrieveModelOperation,
  )(async ({ request, params }) =>
    toModelObject(modelAvailableTo(await organizationOf(deps, request), params.model, deps.clock.now())),
  );
}

function toModelObject(model: Model): ModelObject {
  return {
    id: model.id,
    object: "model",
    created: unixSeconds(model.createdAt),
    owned_by: model.ownedBy,
    ...(model.shutdownAt ? { shutdown_date: model.shutdownAt.toISOString().slice(0, 10) } : {}),
  };
}
