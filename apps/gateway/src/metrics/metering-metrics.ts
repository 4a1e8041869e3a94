import type {
  ChatLogBacklogStats,
  FallbackLimiterStatus,
  ResponseCacheStats,
  UsageWriterStats,
} from "@dsc/core";

/** One series of GET /metrics. */
export interface MetricSample {
  name: string;
  help: string;
  type: "counter" | "gauge";
  value: number;
}

/** What the limits, the response cache and the usage writer count, read at each scrape. */
export interface MeteringCounts {
  /** where limits and the cache live: Redis (shared by every instance) or this instance's memory */
  store: "redis" | "memory";
  /** null when limits live in memory only (no Redis to fall back from) */
  limiter: FallbackLimiterStatus | null;
  /** null when caching is off */
  cache: ResponseCacheStats | null;
  usage: UsageWriterStats;
}

/**
 * The help text of every series of this file. A series' type follows from its name, as
 * Prometheus names them: counters end in `_total`, anything else is a gauge.
 */
const HELP = {
  dsc_rate_limiter_store_redis:
    "1 when rate limits are kept in Redis and shared by every instance, 0 when in this instance's memory only",
  dsc_rate_limiter_fallback_active:
    "1 while rate limits are kept in this instance's memory because Redis is unreachable",
  dsc_rate_limiter_fallbacks_total: "Times the rate limiter fell back from Redis to memory",
  dsc_rate_limiter_fallback_checks_total:
    "Rate-limit checks answered from memory while Redis was unreachable",
  dsc_response_cache_hits_total: "Response cache hits",
  dsc_response_cache_misses_total: "Response cache misses of cacheable requests",
  dsc_response_cache_errors_total: "Response cache reads and writes that failed (answered as misses)",
  dsc_usage_events_written_total: "Usage events written to the database",
  dsc_usage_events_pending: "Usage events waiting for the next batch",
  dsc_usage_events_dropped_total: "Usage events given up (buffer bound reached while the database failed)",
  dsc_usage_events_dead_lettered_total:
    "Usage events the database refused for their data, kept in usage_dead_letter instead",
  dsc_usage_flush_failures_total: "Usage batches the database refused (kept and retried)",
  dsc_chat_logs_pending_retry: "Chat-log rows kept in memory for a retry while the database fails",
  dsc_chat_log_write_failures_total:
    "Chat-log batches the database failed to take (kept and retried with backoff)",
  dsc_chat_logs_dropped_total:
    "Chat-log rows given up: over the retry bound, refused for their data, or left at shutdown",
};

/** The values read at a scrape as samples of their series, in the order given. */
function samplesOf(values: { [name in keyof typeof HELP]?: number }): MetricSample[] {
  return Object.entries(values).map(([name, value]) => ({
    name,
    help: HELP[name as keyof typeof HELP],
    type: name.endsWith("_total") ? "counter" : "gauge",
    value,
  }));
}

/** The limiter's fallback, the response cache and the usage writer as Prometheus series. */
export function meteringSamples(counts: MeteringCounts): MetricSample[] {
  const { store, limiter, cache, usage } = counts;
  return samplesOf({
    dsc_rate_limiter_store_redis: store === "redis" ? 1 : 0,
    dsc_rate_limiter_fallback_active: limiter?.backend === "fallback" ? 1 : 0,
    dsc_rate_limiter_fallbacks_total: limiter?.fallbacks ?? 0,
    dsc_rate_limiter_fallback_checks_total: limiter?.fallbackChecks ?? 0,
    dsc_response_cache_hits_total: cache?.hits ?? 0,
    dsc_response_cache_misses_total: cache?.misses ?? 0,
    dsc_response_cache_errors_total: cache?.errors ?? 0,
    dsc_usage_events_written_total: usage.written,
    dsc_usage_events_pending: usage.pending,
    dsc_usage_events_dropped_total: usage.dropped,
    dsc_usage_events_dead_lettered_total: usage.deadLettered,
    dsc_usage_flush_failures_total: usage.failedFlushes,
  });
}

/** The chat-log writer's rows kept for a retry, failed writes and rows given up, as Prometheus series. */
export function chatLogSamples(stats: ChatLogBacklogStats | undefined): MetricSample[] {
  if (!stats) return [];
  return samplesOf({
    dsc_chat_logs_pending_retry: stats.pending,
    dsc_chat_log_write_failures_total: stats.failedWrites,
    dsc_chat_logs_dropped_total: stats.dropped,
  });
}
