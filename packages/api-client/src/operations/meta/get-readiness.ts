import { ReadinessSchema } from "../../health.ts";
import { defineOperation } from "../define-operation.ts";

export const getReadinessOperation = defineOperation({
  id: "getReadiness",
  method: "GET",
  path: "/readyz",
  scope: "public",
  summary: "Readiness",
  description: "The process can serve requests: its dependencies answer.",
  tags: ["Meta"],
  responses: {
    200: { description: "Ready.", json: ReadinessSchema },
    503: { description: "Not ready; `checks` names the dependency that is down.", json: ReadinessSchema },
  },
  // no credentials, but an unknown `x-api-version` is refused here too
  errors: { 400: { codes: ["unsupported_api_version"] }, 500: {} },
});
