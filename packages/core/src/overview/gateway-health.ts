import { ReadinessSchema } from "@dsc/api-client";
import { boundedText, discard, jsonOrNull } from "../http/bounded-response.ts";
import { cachedReading } from "../http/cached-reading.ts";
import type { Clock } from "../time/clock.ts";
import { readPrometheusSamples, type SampleReading } from "./prometheus-text.ts";

/** One check of the gateway's GET /readyz (`database`, `master_key`, `accepting`, …). */
export interface GatewayCheck {
  name: string;
  isUp: boolean;
}

/** What the gateway's GET /metrics tells about its limits, event loop and usage writer. */
export interface GatewayMetrics {
  /** where rate limits live; null when the gateway does not say (one older than the gauge) */
  limiterStore: "redis" | "memory" | null;
  /** rate limits kept in the instance's memory because Redis is unreachable */
  isLimiterFallbackActive: boolean;
  limiterFallbacks: number;
  limiterFallbackChecks: number;
  /** the event loop's delay since the previous scrape, in milliseconds (the slowest worker's of several) */
  eventLoopDelayP50Ms: number | null;
  eventLoopDelayP99Ms: number | null;
  eventLoopDelayMaxMs: number | null;
  usageEventsPending: number | null;
  usageEventsDropped: number | null;
}

/**
 * Why the metrics are missing from an answer: no token configured here, the gateway has no
 * /metrics (no METRICS_TOKEN there), it refused this token, or it did not answer in time.
 */
export type GatewayMetricsProblem = "no_token" | "not_enabled" | "refused" | "unavailable";

export type GatewayHealth =
  | {
      isReachable: true;
      checkedAt: Date;
      isReady: boolean;
      checks: GatewayCheck[];
      metrics: GatewayMetrics | null;
      metricsProblem: GatewayMetricsProblem | null;
    }
  | {
      isReachable: false;
      checkedAt: Date;
      /** timeout: no answer in time; unreachable: no connection; bad_answer: not a readiness answer */
      problem: "timeout" | "unreachable" | "bad_answer";
    };

export interface GatewayHealthReader {
  /** The gateway's health, fetched at most once per cache period whoever asks. */
  read(): Promise<GatewayHealth>;
}

export interface GatewayHealthOptions {
  /** the gateway's base address as this server reaches it, without a trailing slash */
  baseUrl: string;
  /** the gateway's METRICS_TOKEN; null reads readiness only */
  metricsToken: string | null;
  /** how long both requests together may take (default 2 s) */
  timeoutMs?: number;
  /** how long an answer is reused (default 5 s) */
  cacheMs?: number;
}

const DEFAULT_TIMEOUT_MS = 2_000;
const DEFAULT_CACHE_MS = 5_000;
// the gateway's exposition grows with its histograms (routes, statuses, models, deployments):
// tens to a few hundred kilobytes; anything far larger is not what we asked for
const MAX_METRICS_BYTES = 4 * 1024 * 1024;
const MAX_READINESS_BYTES = 16 * 1024;

/** the interval of the timer behind the gateway's event-loop gauges */
const EVENT_LOOP_TIMER_MS = 10;

const SERIES = {
  limiterRedis: "dsc_rate_limiter_store_redis",
  fallbackActive: "dsc_rate_limiter_fallback_active",
  fallbacks: "dsc_rate_limiter_fallbacks_total",
  fallbackChecks: "dsc_rate_limiter_fallback_checks_total",
  lagP50: "nodejs_eventloop_lag_p50_seconds",
  lagP99: "nodejs_eventloop_lag_p99_seconds",
  lagMax: "nodejs_eventloop_lag_max_seconds",
  usagePending: "dsc_usage_events_pending",
  usageDropped: "dsc_usage_events_dropped_total",
} as const;
/**
 * How each series' samples make the one value shown. A gateway of several processes
 * (GATEWAY_WORKERS) adds up its workers' counters and queues into one sample and combines its
 * limiter states into one, but exposes the event-loop gauges once per worker (a `worker`
 * label): the slowest worker is the one to show, not the first. The others are read as the
 * primary combines them, so that an exposition that splits them still reads right.
 */
const SERIES_READINGS: ReadonlyMap<string, SampleReading> = new Map<string, SampleReading>([
  // limits are shared only if every process keeps them in Redis
  [SERIES.limiterRedis, "min"],
  [SERIES.fallbackActive, "max"],
  [SERIES.fallbacks, "sum"],
  [SERIES.fallbackChecks, "sum"],
  [SERIES.lagP50, "max"],
  [SERIES.lagP99, "max"],
  [SERIES.lagMax, "max"],
  [SERIES.usagePending, "sum"],
  [SERIES.usageDropped, "sum"],
]);

/**
 * Reads the gateway's readiness and metrics for the dashboard's overview. Answers are cached
 * for a few seconds and concurrent readers share one fetch, so that however many people look
 * at the overview the gateway is asked at most once per period. Note that each read of
 * /metrics starts a new window of the gateway's event-loop percentiles (as any scrape does).
 */
export function createGatewayHealthReader(
  deps: { clock: Clock },
  options: GatewayHealthOptions,
): GatewayHealthReader {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
  // the lookbehind starts the match only at the run's first slash, so it cannot backtrack
  const baseUrl = options.baseUrl.replace(/(?<!\/)\/+$/, "");

  async function fetchHealth(): Promise<GatewayHealth> {
    const signal = AbortSignal.timeout(timeoutMs);
    const [readiness, metrics] = await Promise.all([
      readReadiness(`${baseUrl}/readyz`, signal),
      readMetrics(`${baseUrl}/metrics`, options.metricsToken, signal),
    ]);
    const checkedAt = deps.clock.now();
    if (!readiness.ok) return { isReachable: false, checkedAt, problem: readiness.problem };
    return {
      isReachable: true,
      checkedAt,
      isReady: readiness.isReady,
      checks: readiness.checks,
      metrics: metrics.ok ? metrics.metrics : null,
      metricsProblem: metrics.ok ? null : metrics.problem,
    };
  }

  return { read: cachedReading(() => deps.clock.now(), cacheMs, fetchHealth) };
}

type ReadinessRead =
  | { ok: true; isReady: boolean; checks: GatewayCheck[] }
  | { ok: false; problem: "timeout" | "unreachable" | "bad_answer" };

async function readReadiness(url: string, signal: AbortSignal): Promise<ReadinessRead> {
  let body: string | null;
  try {
    const response = await fetch(url, { signal, headers: { accept: "application/json" } });
    // 503 is an answer too: the gateway is up but not ready, and says which check is down
    body = await boundedText(response, MAX_READINESS_BYTES);
  } catch {
    return { ok: false, problem: signal.aborted ? "timeout" : "unreachable" };
  }
  const parsed = body === null ? null : ReadinessSchema.safeParse(jsonOrNull(body));
  if (!parsed?.success) return { ok: false, problem: "bad_answer" };
  return {
    ok: true,
    isReady: parsed.data.status === "ready",
    checks: Object.entries(parsed.data.checks).map(([name, state]) => ({ name, isUp: state === "up" })),
  };
}

type MetricsRead = { ok: true; metrics: GatewayMetrics } | { ok: false; problem: GatewayMetricsProblem };

async function readMetrics(url: string, token: string | null, signal: AbortSignal): Promise<MetricsRead> {
  if (!token) return { ok: false, problem: "no_token" };
  try {
    const response = await fetch(url, { signal, headers: { authorization: `Bearer ${token}` } });
    if (response.status === 404) return discard(response, { ok: false, problem: "not_enabled" });
    if (response.status === 401 || response.status === 403)
      return discard(response, { ok: false, problem: "refused" });
    if (!response.ok) return discard(response, { ok: false, problem: "unavailable" });
    const text = await boundedText(response, MAX_METRICS_BYTES);
    if (text === null) return { ok: false, problem: "unavailable" };
    return { ok: true, metrics: gatewayMetricsOf(readPrometheusSamples(text, SERIES_READINGS)) };
  } catch {
    return { ok: false, problem: "unavailable" };
  }
}

function gatewayMetricsOf(samples: Map<string, number>): GatewayMetrics {
  const finite = (name: string) => {
    const value = samples.get(name);
    return value === undefined || !Number.isFinite(value) ? null : value;
  };
  // the gauges time a 10 ms timer (prom-client's precision): an idle loop reads 10 ms, its
  // interval; the overview shows how late the loop ran beyond it, as it did before prom-client
  const delayMs = (name: string) => {
    const seconds = finite(name);
    return seconds === null
      ? null
      : Math.max(0, Math.round((seconds * 1e3 - EVENT_LOOP_TIMER_MS) * 1e3) / 1e3);
  };
  const redis = finite(SERIES.limiterRedis);
  return {
    limiterStore: redis === null ? null : redis > 0 ? "redis" : "memory",
    isLimiterFallbackActive: (finite(SERIES.fallbackActive) ?? 0) > 0,
    limiterFallbacks: finite(SERIES.fallbacks) ?? 0,
    limiterFallbackChecks: finite(SERIES.fallbackChecks) ?? 0,
    eventLoopDelayP50Ms: delayMs(SERIES.lagP50),
    eventLoopDelayP99Ms: delayMs(SERIES.lagP99),
    eventLoopDelayMaxMs: delayMs(SERIES.lagMax),
    usageEventsPending: finite(SERIES.usagePending),
    usageEventsDropped: finite(SERIES.usageDropped),
  };
}
