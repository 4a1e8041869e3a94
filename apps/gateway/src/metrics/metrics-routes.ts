import { createHash, timingSafeEqual } from "node:crypto";
import { getMetricsOperation } from "@dsc/api-client";
import { createDeletionDeadlineGauges, DomainError } from "@dsc/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Registry } from "prom-client";
import type { GatewayDeps } from "../gateway-deps.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import { registerDeletionDeadlineMetrics } from "./deletion-deadline-metrics.ts";
import { registerDeploymentHealthMetrics } from "./deployment-health-metrics.ts";
import { registerMasterKeyMetrics } from "./master-key-metrics.ts";
import { registerChatLogMetrics, registerMeteringMetrics } from "./metering-metrics.ts";
import { registerRequestMetrics } from "./request-metrics.ts";

// a deps bag built once may serve more than one app (tests): its series are registered once
const watchedRegistries = new WeakSet<Registry>();

/**
 * GET /metrics: this instance's series in Prometheus' text format (prom-client): requests,
 * upstream calls and tokens as the request path records them (metrics-recorder.ts), the
 * process and runtime defaults, and state read at each scrape: whether rate limits have fallen
 * back from Redis to memory, the writers' queues, how many deletion requests are near or past
 * their deadline. No credentials, no organization data, but what it tells (load, failures,
 * overdue erasures) is for the operator's scraper only: it asks for
 * `Authorization: Bearer $METRICS_TOKEN`, and without a token configured there is no such
 * route (404), so that a gateway is never public about it by default.
 */
export function registerMetricsRoutes(app: FastifyInstance, deps: GatewayDeps, token: string | null) {
  if (!token) return;
  // only when someone may read them: without a token the request path does not time itself
  registerRequestMetrics(app, deps.metrics);
  const isMetricsToken = metricsTokenCheck(token);
  watchGatewayState(deps);

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
    const text = await deps.metrics.exposition();
    reply.header("content-type", Registry.PROMETHEUS_CONTENT_TYPE);
    reply.header("cache-control", "no-store");
    return reply.send(text);
  });
}

/** The series read at each scrape from state kept elsewhere: limiter, cache, writers, keys, deadlines. */
function watchGatewayState(deps: GatewayDeps) {
  const { registry } = deps.metrics;
  if (watchedRegistries.has(registry)) return;
  watchedRegistries.add(registry);
  registerMeteringMetrics(registry, deps.metering);
  registerChatLogMetrics(registry, deps.chatLogs);
  registerMasterKeyMetrics(registry, deps.masterKeys);
  registerDeploymentHealthMetrics(registry, deps.deploymentHealth);
  // read from the database at most every 15 s, however often (or by whom) /metrics is scraped
  registerDeletionDeadlineMetrics(registry, createDeletionDeadlineGauges(deps), (error) =>
    deps.logger.warn({ err: error }, "metrics: could not count deletion requests"),
  );
}

/**
 * Compares in constant time: both sides are hashed first, so neither the content nor the
 * length of the configured token shows in how long a wrong guess takes.
 */
function metricsTokenCheck(token: string): (presented: string) => boolean {
  const expected = createHash("sha256").update(token).digest();
  return (presented) => timingSafeEqual(createHash("sha256").update(presented).digest(), expected);
}
