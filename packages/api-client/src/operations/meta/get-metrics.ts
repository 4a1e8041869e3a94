import { defineOperation } from "../define-operation.ts";

export const getMetricsOperation = defineOperation({
  id: "getMetrics",
  method: "GET",
  path: "/metrics",
  scope: "public",
  summary: "Metrics",
  description:
    "This instance's counters and gauges in Prometheus' text format: rate-limiter fallback " +
    "(Redis unreachable), response cache, usage-event writer. No organization data.",
  tags: ["Meta"],
  responses: { 200: { description: "Prometheus text exposition format 0.0.4.", text: "text/plain" } },
  errors: {},
});
