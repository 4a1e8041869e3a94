import { DeploymentHealthReportSchema } from "../../health.ts";
import { defineOperation } from "../define-operation.ts";

export const getDeploymentHealthOperation = defineOperation({
  id: "getDeploymentHealth",
  method: "GET",
  path: "/internal/deployments/health",
  scope: "public",
  summary: "Deployment health",
  description:
    "This instance's circuit breaker of each model deployment: closed, open or half open, how " +
    "long it cools down, consecutive failures. For the operator's dashboard: it asks for the " +
    "metrics token as a bearer token, and without one configured it is not served.",
  tags: ["Meta"],
  responses: { 200: { description: "The breakers this gateway keeps.", json: DeploymentHealthReportSchema } },
  // the operator's dashboard authenticates with the metrics token, not an API credential
  errors: { 400: { codes: ["unsupported_api_version"] }, 401: { codes: ["invalid_metrics_token"] }, 500: {} },
});
