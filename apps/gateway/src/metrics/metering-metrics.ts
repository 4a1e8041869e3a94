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
  /** null when limits live in memory only (no Redis to fall back from) */
  limiter: FallbackLimiterStatus | null;
  /** null when caching is off */
  cache: ResponseCacheStats | null;
  usage: UsageWriterStats;
}

/** The limiter's fallback, the response cache and the usage writer as Prometheus series. */
export function meteringSamples(counts: MeteringCounts): MetricSample[] {
  const { limiter, cache, usage } = counts;
  return [
    {
      name: "dsc_rate_limiter_fallback_active",
      help: "1 while rate limits are kept in this instance's memory because Redis is unreachable",
      type: "gauge",
      value: limiter?.backend === "fallback" ? 1 : 0,
    },
    {
      name: "dsc_rate_limiter_fallbacks_total",
      help: "Times the rate limiter fell back from Redis to memory",
      type: "counter",
      value: limiter?.fallbacks ?? 0,
    },
    {
      name: "dsc_rate_limiter_fallback_checks_total",
      help: "Rate-limit checks answered from memory while Redis was unreachable",
      type: "counter",
      value: limiter?.fallbackChecks ?? 0,
    },
    {
      name: "dsc_response_cache_hits_total",
      help: "Response cache hits",
      type: "counter",
      value: cache?.hits ?? 0,
    },
    {
      name: "dsc_response_cache_misses_total",
      help: "Response cache misses of cacheable requests",
      type: "counter",
      value: cache?.misses ?? 0,
    },
    {
      name: "dsc_response_cache_errors_total",
      help: "Response cache reads and writes that failed (answered as misses)",
      type: "counter",
      value: cache?.errors ?? 0,
    },
    {
      name: "dsc_usage_events_written_total",
      help: "Usage events written to the database",
      type: "counter",
      value: usage.written,
    },
    {
      name: "dsc_usage_events_pending",
      help: "Usage events waiting for the next batch",
      type: "gauge",
      value: usage.pending,
    },
    {
      name: "dsc_usage_events_dropped_total",
      help: "Usage events given up (buffer bound reached while the database failed)",
      type: "counter",
      value: usage.dropped,
    },
    {
      name: "dsc_usage_events_dead_lettered_total",
      help: "Usage events the database refused for their data, kept in usage_dead_letter instead",
      type: "counter",
      value: usage.deadLettered,
    },
    {
      name: "dsc_usage_flush_failures_total",
      help: "Usage batches the database refused (kept and retried)",
      type: "counter",
      value: usage.failedFlushes,
    },
  ];
}

/** The chat-log writer's rows kept for a retry, failed writes and rows given up, as Prometheus series. */
export function chatLogSamples(stats: ChatLogBacklogStats | undefined): MetricSample[] {
  if (!stats) return [];
  return [
    {
      name: "dsc_chat_logs_pending_retry",
      help: "Chat-log rows kept in memory for a retry while the database fails",
      type: "gauge",
      value: stats.pending,
    },
    {
      name: "dsc_chat_log_write_failures_total",
      help: "Chat-log batches the database failed to take (kept and retried with backoff)",
      type: "counter",
      value: stats.failedWrites,
    },
    {
      name: "dsc_chat_logs_dropped_total",
      help: "Chat-log rows given up: over the retry bound, refused for their data, or left at shutdown",
      type: "counter",
      value: stats.dropped,
    },
  ];
}
