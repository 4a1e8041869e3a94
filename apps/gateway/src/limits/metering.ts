import { EventEmitter, once } from "node:events";
import {
  type Clock,
  createRedisConnection,
  createUsageWriter,
  type FallbackRateLimiter,
  MemoryRateLimiter,
  MemoryResponseCache,
  type RateLimiter,
  RedisResponseCache,
  type ResponseCache,
  redisLimiterWithFallback,
  type TokenReservation,
  type UsageRecord,
  type UsageWriter,
  type UsageWriterOptions,
  waitUntilConnected,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import type { Logger } from "pino";

/**
 * What callers may spend and what they spent: the rate limiter (limits and quotas), the
 * response cache, the usage writer and their settings, built once at start-up.
 */
export interface Metering {
  limiter: RateLimiter;
  /** null when caching is off (RESPONSE_CACHE_TTL_SECONDS=0) */
  cache: ResponseCache | null;
  cacheTtlMs: number;
  usage: UsageWriter;
  /** reserved for a chat completion that sets neither max_completion_tokens nor max_tokens */
  defaultMaxTokens: number;
  /** "redis" or "memory": where limits and cache live */
  store: "redis" | "memory";
  /** Queues a request's usage event and settles its reservation with the tokens it used. */
  finish(usage: UsageRecord, reservation: TokenReservation | null): void;
  /** Settles a reservation made after its request had already been metered: nothing was used. */
  finishLate(reservation: TokenReservation): void;
  /** How many requests have been metered since start. */
  readonly metered: number;
  /** Resolves once `count` requests have been metered since start and their settlements are done. */
  whenMetered(count: number): Promise<void>;
  /** "store": "up" / "down" when the Redis connection comes and goes */
  readonly events: EventEmitter;
  /** the counters and gauges served on GET /metrics */
  metrics(): MetricSample[];
  /** waits for settlements, writes every queued usage event, closes Redis */
  close(): Promise<void>;
}

export interface MetricSample {
  name: string;
  help: string;
  type: "counter" | "gauge";
  value: number;
}

export interface MeteringOptions {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** shared limits and cache in Redis; null keeps them in process memory (one instance) */
  redisUrl?: string | null;
  /** namespace of every Redis key (default "dsc:"; tests use their own) */
  redisPrefix?: string;
  /** 0 turns the response cache off (default 1 hour) */
  responseCacheTtlMs?: number;
  defaultMaxTokens?: number;
  usageFlushIntervalMs?: number;
  usageBatchSize?: number;
  /** how usage batches reach the database (default insertUsageEvents) */
  usageInsert?: UsageWriterOptions["insert"];
  /** after a failure, Redis is tried again within this long (default 1 s) */
  redisRetryIntervalMs?: number;
}

/**
 * Builds the metering of one gateway. With Redis, limits are shared by every instance and fall
 * back to this instance's memory while Redis is unreachable (logged once per transition,
 * counted in the metrics); the cache then answers misses. Without Redis, both live in memory.
 */
export async function createMetering(options: MeteringOptions): Promise<Metering> {
  const { clock, logger } = options;
  const cacheTtlMs = options.responseCacheTtlMs ?? 3_600_000;
  const usage = createUsageWriter({
    db: options.db,
    batchSize: options.usageBatchSize,
    flushIntervalMs: options.usageFlushIntervalMs,
    insert: options.usageInsert,
    onError: (error, records) =>
      logger.warn({ err: error, records }, "usage events not written yet; retrying"),
  });
  const pending = new Set<Promise<unknown>>();
  const events = new EventEmitter().setMaxListeners(100);
  let meteredCount = 0;
  const settle = (reservation: TokenReservation, tokens: number) => {
    const work = reservation
      .settle(tokens)
      .catch((error) => logger.warn({ err: error }, "token reservation not settled"));
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };

  let limiter: RateLimiter;
  let cache: ResponseCache | null;
  let fallback: FallbackRateLimiter | null = null;
  let closeStore = async () => {};
  if (options.redisUrl) {
    const redis = createRedisConnection(options.redisUrl, {
      maxReconnectDelayMs: options.redisRetryIntervalMs,
      onError: (error) => logger.debug({ err: error }, "redis connection error"),
    });
    // transitions only: ioredis raises "close" on every failed reconnection attempt
    let isStoreUp = false;
    redis.on("ready", () => {
      if (!isStoreUp) events.emit("store", "up");
      isStoreUp = true;
    });
    redis.on("close", () => {
      if (isStoreUp) events.emit("store", "down");
      isStoreUp = false;
    });
    if (!(await waitUntilConnected(redis, 2_000))) {
      logger.warn("Redis does not answer yet: rate limits stay in process memory until it does");
    }
    const prefix = options.redisPrefix ?? "dsc:";
    fallback = redisLimiterWithFallback({
      redis,
      clock,
      prefix,
      retryIntervalMs: options.redisRetryIntervalMs,
      onTransition: (backend, cause) => {
        if (backend === "fallback") {
          logger.warn(
            { err: cause },
            "Redis is unreachable: rate limits fall back to this instance's memory until it is back",
          );
        } else {
          logger.info("Redis is back: rate limits are shared again");
        }
      },
    });
    limiter = fallback;
    cache =
      cacheTtlMs > 0
        ? new RedisResponseCache({
            redis,
            prefix,
            onError: (error) =>
              logger.debug({ err: error }, "response cache unavailable; answered as a miss"),
          })
        : null;
    closeStore = async () => {
      redis.disconnect();
    };
  } else {
    limiter = new MemoryRateLimiter(clock);
    cache = cacheTtlMs > 0 ? new MemoryResponseCache({ clock }) : null;
  }

  return {
    limiter,
    cache,
    cacheTtlMs,
    usage,
    defaultMaxTokens: options.defaultMaxTokens ?? 1_024,
    store: options.redisUrl ? "redis" : "memory",
    events,
    get metered() {
      return meteredCount;
    },
    finish(record, reservation) {
      usage.record(record);
      if (reservation) settle(reservation, record.cached ? 0 : record.promptTokens + record.completionTokens);
      meteredCount += 1;
      events.emit("metered", meteredCount);
    },
    finishLate(reservation) {
      settle(reservation, 0);
    },
    async whenMetered(count) {
      while (meteredCount < count) await once(events, "metered");
      await Promise.allSettled([...pending]);
    },
    metrics() {
      const limiterStatus = fallback?.status;
      return [
        {
          name: "dsc_rate_limiter_fallback_active",
          help: "1 while rate limits are kept in this instance's memory because Redis is unreachable",
          type: "gauge",
          value: limiterStatus?.backend === "fallback" ? 1 : 0,
        },
        {
          name: "dsc_rate_limiter_fallbacks_total",
          help: "Times the rate limiter fell back from Redis to memory",
          type: "counter",
          value: limiterStatus?.fallbacks ?? 0,
        },
        {
          name: "dsc_rate_limiter_fallback_checks_total",
          help: "Rate-limit checks answered from memory while Redis was unreachable",
          type: "counter",
          value: limiterStatus?.fallbackChecks ?? 0,
        },
        {
          name: "dsc_response_cache_hits_total",
          help: "Response cache hits",
          type: "counter",
          value: cache?.stats.hits ?? 0,
        },
        {
          name: "dsc_response_cache_misses_total",
          help: "Response cache misses of cacheable requests",
          type: "counter",
          value: cache?.stats.misses ?? 0,
        },
        {
          name: "dsc_response_cache_errors_total",
          help: "Response cache reads and writes that failed (answered as misses)",
          type: "counter",
          value: cache?.stats.errors ?? 0,
        },
        {
          name: "dsc_usage_events_written_total",
          help: "Usage events written to the database",
          type: "counter",
          value: usage.stats.written,
        },
        {
          name: "dsc_usage_events_pending",
          help: "Usage events waiting for the next batch",
          type: "gauge",
          value: usage.stats.pending,
        },
        {
          name: "dsc_usage_events_dropped_total",
          help: "Usage events given up (buffer bound reached while the database failed)",
          type: "counter",
          value: usage.stats.dropped,
        },
        {
          name: "dsc_usage_flush_failures_total",
          help: "Usage batches the database refused (kept and retried)",
          type: "counter",
          value: usage.stats.failedFlushes,
        },
      ];
    },
    async close() {
      await Promise.allSettled([...pending]);
      await usage.close();
      await closeStore();
    },
  };
}
