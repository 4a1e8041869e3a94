import { z } from "zod";
import { ModelSchema } from "../../models.ts";
import { defineOperation } from "../define-operation.ts";

export const retrieveModelOperation = defineOperation({
  id: "retrieveModel",
  method: "GET",
  path: "/v1/models/{model}",
  scope: "models:read",
  summary: "Retrieve a model",
  tags: ["Models"],
  params: z.object({ model: z.string().describe("The model's id, e.g. `deepseek-chst-1.0`.") }),
  responses: { 200: { description: "The model.", json: ModelSchema } },
  errors: { 400: {}, 401: {}, 403: {}, 404: { codes: ["model_not_found"] }, 429: {}, 500: {}, 503: {} },
});
