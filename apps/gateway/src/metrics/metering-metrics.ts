import type { ChatLogWriter } from "@dsc/core";
import type { Registry } from "prom-client";
import type { Metering } from "../limits/metering.ts";
import { counterReadAtScrape, gaugeReadAtScrape } from "./scrape-time-series.ts";

/**
 * The limiter's store and its fallback, the response cache and the usage writer, read at each
 * scrape from the counts they keep. The dashboard's overview reads several of these names
 * (core/overview/gateway-health.ts): renaming one fails overview-health.test.ts.
 */
export function registerMeteringMetrics(registry: Registry, metering: Metering) {
  const gauge = gaugeReadAtScrape.bind(null, registry);
  const counter = counterReadAtScrape.bind(null, registry);
  const limiter = () => metering.limiterFallback?.status ?? null;
  const cache = () => metering.cache?.stats ?? null;
  const usage = () => metering.usage.stats;
  gauge(
    "dsc_rate_limiter_store_redis",
    "1 when rate limits are kept in Redis and shared by every instance, 0 when in this instance's memory only",
    () => (metering.store === "redis" ? 1 : 0),
    // a cluster's workers: 1 only when every one of them shares the limits through Redis
    "min",
  );
  gauge(
    "dsc_rate_limiter_fallback_active",
    "1 while rate limits are kept in this instance's memory because Redis is unreachable",
    () => (limiter()?.backend === "fallback" ? 1 : 0),
    "max",
  );
  counter(
    "dsc_rate_limiter_fallbacks_total",
    "Times the rate limiter fell back from Redis to memory",
    () => limiter()?.fallbacks ?? 0,
  );
  counter(
    "dsc_rate_limiter_fallback_checks_total",
    "Rate-limit checks answered from memory while Redis was unreachable",
    () => limiter()?.fallbackChecks ?? 0,
  );
  counter("dsc_response_cache_hits_total", "Response cache hits", () => cache()?.hits ?? 0);
  counter(
    "dsc_response_cache_misses_total",
    "Response cache misses of cacheable requests",
    () => cache()?.misses ?? 0,
  );
  counter(
    "dsc_response_cache_errors_total",
    "Response cache reads and writes that failed (answered as misses)",
    () => cache()?.errors ?? 0,
  );
  counter("dsc_usage_events_written_total", "Usage events written to the database", () => usage().written);
  gauge("dsc_usage_events_pending", "Usage events waiting for the next batch", () => usage().pending);
  counter(
    "dsc_usage_events_dropped_total",
    "Usage events given up (buffer bound reached while the database failed)",
    () => usage().dropped,
  );
  counter(
    "dsc_usage_events_dead_lettered_total",
    "Usage events the database refused for their data, kept in usage_dead_letter instead",
    () => usage().deadLettered,
  );
  counter(
    "dsc_usage_flush_failures_total",
    "Usage batches the database refused (kept and retried)",
    () => usage().failedFlushes,
  );
}

/** The chat-log writer's queue, rows kept for a retry, failed writes and rows given up. */
export function registerChatLogMetrics(registry: Registry, chatLogs: ChatLogWriter) {
  if (chatLogs.queued !== undefined) {
    gaugeReadAtScrape(
      registry,
      "dsc_chat_logs_queued",
      "Conversation turns recorded and not written yet (waiting to be sealed or for their batch)",
      () => chatLogs.queued ?? 0,
    );
  }
  const stats = chatLogs.stats;
  if (!stats) return;
  gaugeReadAtScrape(
    registry,
    "dsc_chat_logs_pending_retry",
    "Chat-log rows kept in memory for a retry while the database fails",
    () => stats.pending,
  );
  counterReadAtScrape(
    registry,
    "dsc_chat_log_write_failures_total",
    "Chat-log batches the database failed to take (kept and retried with backoff)",
    () => stats.failedWrites,
  );
  counterReadAtScrape(
    registry,
    "dsc_chat_logs_dropped_total",
    "Chat-log rows given up: over the retry bound, refused for their data, or left at shutdown",
    () => stats.dropped,
  );
}
