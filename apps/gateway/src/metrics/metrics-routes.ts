import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";

/**
 * GET /metrics: this instance's counters and gauges in Prometheus' text format, e.g. whether
 * rate limits have fallen back from Redis to memory. No credentials, no organization data.
 */
export function registerMetricsRoutes(app: FastifyInstance, deps: GatewayDeps) {
  app.get("/metrics", { config: { scope: "public" } }, async (_request, reply) => {
    const lines: string[] = [];
    for (const sample of deps.metering.metrics()) {
      lines.push(`# HELP ${sample.name} ${sample.help}`, `# TYPE ${sample.name} ${sample.type}`);
      lines.push(`${sample.name} ${sample.value}`);
    }
    reply.header("content-type", "text/plain; version=0.0.4; charset=utf-8");
    reply.header("cache-control", "no-store");
    return `${lines.join("\n")}\n`;
  });
}
