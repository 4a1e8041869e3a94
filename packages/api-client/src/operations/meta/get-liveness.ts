import { LivenessSchema } from "../../health.ts";
import { defineOperation } from "../define-operation.ts";

export const getLivenessOperation = defineOperation({
  id: "getLiveness",
  method: "GET",
  path: "/healthz",
  scope: "public",
  summary: "Liveness",
  description: "The process is up; for load balancers and orchestrators.",
  tags: ["Meta"],
  responses: { 200: { description: "The process is up.", json: LivenessSchema } },
  // no credentials, but an unknown `x-api-version` is refused here too
  errors: { 400: { codes: ["unsupported_api_version"] }, 500: {} },
});
