import { createHash, timingSafeEqual } from "node:crypto";
import { getMetricsOperation } from "@dsc/api-client";
import { createDeletionDeadlineGauges, type DeletionDeadlineCounts, DomainError } from "@dsc/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import type { MetricSample } from "../limits/metering.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import { deletionDeadlineSamples } from "./deletion-deadline-metrics.ts";
import { createEventLoopDelayMetrics } from "./event-loop-metrics.ts";
import { masterKeySamples } from "./master-key-metrics.ts";
import { chatLogSamples } from "./metering-metrics.ts";

/**
 * GET /metrics: this instance's counters and gauges in Prometheus' text format, e.g. whether
 * rate limits have fallen back from Redis to memory, how many deletion requests are near or
 * past their deadline, and how late the event loop runs. No credentials, no organization data,
 * but what it tells (load, failures, overdue erasures) is for the operator's scraper only: it
 * asks for `Authorization: Bearer $METRICS_TOKEN`, and without a token configured there is no
 * such route (404), so that a gateway is never public about it by default.
 */
export function registerMetricsRoutes(app: FastifyInstance, deps: GatewayDeps, token: string | null) {
  if (!token) return;
  const isMetricsToken = metricsTokenCheck(token);
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

  // "public": no API key or access token, the metrics token instead (checked before anything runs)
  const requireToken = async (request: FastifyRequest) => {
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? "");
    if (!match?.[1] || !isMetricsToken(match[1])) {
      throw new DomainError(
        "unauthenticated",
        "GET /metrics needs the metrics token: Authorization: Bearer $METRICS_TOKEN.",
        null,
        "invalid_metrics_token",
      );
    }
  };
  serveOperation(app, getMetricsOperation, { onRequest: requireToken })(async ({ reply }) => {
    const samples = [
      ...deps.metering.metrics(),
      ...chatLogSamples(deps.chatLogs.stats),
      ...eventLoop.samples(),
      ...masterKeySamples(deps.masterKeys),
      ...(await deletionSamples()),
    ];
    const lines: string[] = [];
    for (const sample of samples) {
      lines.push(`# HELP ${sample.name} ${sample.help}`, `# TYPE ${sample.name} ${sample.type}`);
      lines.push(`${sample.name} ${sample.value}`);
    }
    reply.header("content-type", "text/plain; version=0.0.4; charset=utf-8");
    reply.header("cache-control", "no-store");
    return reply.send(`${lines.join("\n")}\n`);
  });
}

/**
 * Compares in constant time: both sides are hashed first, so neither the content nor the
 * length of the configured token shows in how long a wrong guess takes.
 */
function metricsTokenCheck(token: string): (presented: string) => boolean {
  const expected = createHash("sha256").update(token).digest();
  return (presented) => timingSafeEqual(createHash("sha256").update(presented).digest(), expected);
}
