import { ModelListSchema } from "../../models.ts";
import { defineOperation } from "../define-operation.ts";

export const listModelsOperation = defineOperation({
  id: "listModels",
  method: "GET",
  path: "/v1/models",
  scope: "models:read",
  summary: "List models",
  description: "The models the credential's organization may use.",
  tags: ["Models"],
  responses: { 200: { description: "The models.", json: ModelListSchema } },
  errors: { 400: {}, 401: {}, 403: {}, 429: {}, 500: {}, 503: {} },
});
