import { defineOperation } from "../define-operation.ts";

export const getMetricsOperation = defineOperation({
  id: "getMetrics",
  method: "GET",
  path: "/metrics",
  scope: "public",
  summary: "Metrics",
  description:
    "This instance's counters and gauges in Prometheus' text format: rate-limiter fallback " +
    "(Redis unreachable), response cache, usage-event writer. No organization data. It asks " +
    "for the operator's metrics token as a bearer token, and without one configured it is not served.",
  tags: ["Meta"],
  responses: { 200: { description: "Prometheus text exposition format 0.0.4.", text: "text/plain" } },
  // the operator's scraper authenticates with the metrics token, not an API credential
  errors: { 400: { codes: ["unsupported_api_version"] }, 401: { codes: ["invalid_metrics_token"] }, 500: {} },
});
