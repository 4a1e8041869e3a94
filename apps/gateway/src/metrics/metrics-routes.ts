import { createDeletionDeadlineGauges, type DeletionDeadlineCounts } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import type { MetricSample } from "../limits/metering.ts";
import { deletionDeadlineSamples } from "./deletion-deadline-metrics.ts";
import { createEventLoopDelayMetrics } from "./event-loop-metrics.ts";

/**
 * GET /metrics: this instance's counters and gauges in Prometheus' text format, e.g. whether
 * rate limits have fallen back from Redis to memory, how many deletion requests are near or
 * past their deadline, and how late the event loop runs. No credentials, no organization data.
 */
export function registerMetricsRoutes(app: FastifyInstance, deps: GatewayDeps) {
  const eventLoop = createEventLoopDelayMetrics();
  app.addHook("onClose", async () => eventLoop.close());
  // read from the database at most every 15 s, however often (or by whom) /metrics is scraped
  const deletionDeadlines = createDeletionDeadlineGauges(deps);
  let lastFailure: Promise<DeletionDeadlineCounts> | null = null;

  /** The deletion gauges, or none while the database cannot say (an absent series alerts too). */
  async function deletionSamples(): Promise<MetricSample[]> {
    const counts = deletionDeadlines.read();
    try {
      return deletionDeadlineSamples(await counts);
    } catch (error) {
      // one line per failed count, not per scrape: a failure is kept as long as a count is
      if (counts !== lastFailure) {
        lastFailure = counts;
        deps.logger.warn({ err: error }, "metrics: could not count deletion requests");
      }
      return [];
    }
  }

  app.get("/metrics", { config: { scope: "public" } }, async (_request, reply) => {
    const samples = [...deps.metering.metrics(), ...eventLoop.samples(), ...(await deletionSamples())];
    const lines: string[] = [];
    for (const sample of samples) {
      lines.push(`# HELP ${sample.name} ${sample.help}`, `# TYPE ${sample.name} ${sample.type}`);
      lines.push(`${sample.name} ${sample.value}`);
    }
    reply.header("content-type", "text/plain; version=0.0.4; charset=utf-8");
    reply.header("cache-control", "no-store");
    return `${lines.join("\n")}\n`;
  });
}
