import { EventEmitter } from "node:events";
import {
  type Clock,
  createUsageSettlement,
  createUsageWriter,
  type FallbackRateLimiter,
  insertUsageEvents,
  type MemoryResponseCache,
  type RateLimiter,
  type RedisResponseCache,
  type UsageSettlement,
  type UsageWriter,
  type UsageWriterOptions,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import type { Logger } from "pino";
import { openLimitStore } from "./limit-store.ts";

/**
 * What callers may spend and what they spent: the rate limiter (limits and quotas), the
 * response cache, the usage writer and the settlement of each request, built once at start-up.
 */
export interface Metering {
  limiter: RateLimiter;
  /** null when caching is off (RESPONSE_CACHE_TTL_SECONDS=0) */
  cache: MemoryResponseCache | RedisResponseCache | null;
  cacheTtlMs: number;
  usage: UsageWriter;
  /** queues each request's UsageEvent and settles its token reservation (core/usage) */
  settlement: UsageSettlement;
  /** reserved for a chat completion that sets neither max_completion_tokens nor max_tokens */
  defaultMaxTokens: number;
  /** "redis" or "memory": where limits and cache live */
  store: "redis" | "memory";
  /** the Redis limiter's memory fallback and its counts (GET /metrics); null in memory only */
  limiterFallback: FallbackRateLimiter | null;
  /** How many requests have been metered since start. */
  readonly metered: number;
  /** Resolves once `count` requests have been metered since start and their settlements are done. */
  whenMetered(count: number): Promise<void>;
  /** "store": "up" / "down" when the Redis connection comes and goes */
  readonly events: EventEmitter;
  /** waits for settlements, writes every queued usage event, closes Redis */
  close(): Promise<void>;
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
  /** told how long each usage batch took to write (or to fail), for GET /metrics */
  observeUsageFlush?: (seconds: number) => void;
}

/** Builds the metering of one gateway (limit-store.ts says where limits and cache live). */
export async function createMetering(options: MeteringOptions): Promise<Metering> {
  const { logger } = options;
  const cacheTtlMs = options.responseCacheTtlMs ?? 3_600_000;
  const usage = createUsageWriter({
    db: options.db,
    batchSize: options.usageBatchSize,
    flushIntervalMs: options.usageFlushIntervalMs,
    insert: timedInsert(options.usageInsert ?? insertUsageEvents, options.observeUsageFlush),
    onError: (error, records) =>
      logger.warn({ err: error, records }, "usage events not written yet; retrying"),
    // a person settles these: the row is in usage_dead_letter with the database's message
    onDeadLetter: (error, record) =>
      logger.error(
        { err: error, requestId: record.requestId, organizationId: record.organizationId },
        "usage event refused by the database; kept in usage_dead_letter",
      ),
  });
  const settlement = createUsageSettlement({
    usage,
    onError: (error) => logger.warn({ err: error }, "token reservation not settled"),
  });
  const events = new EventEmitter().setMaxListeners(100);
  const store = await openLimitStore({
    clock: options.clock,
    logger,
    events,
    redisUrl: options.redisUrl,
    redisPrefix: options.redisPrefix,
    redisRetryIntervalMs: options.redisRetryIntervalMs,
    isCacheOn: cacheTtlMs > 0,
  });
  return {
    limiter: store.limiter,
    cache: store.cache,
    cacheTtlMs,
    usage,
    settlement,
    defaultMaxTokens: options.defaultMaxTokens ?? 1_024,
    store: store.kind,
    limiterFallback: store.fallback,
    events,
    get metered() {
      return settlement.metered;
    },
    whenMetered: (count) => settlement.whenMetered(count),
    async close() {
      await settlement.drain();
      await usage.close();
      await store.close();
    },
  };
}

/** The batch insert, timed for the flush-duration histogram when someone listens. */
function timedInsert(
  insert: NonNullable<UsageWriterOptions["insert"]>,
  observe: ((seconds: number) => void) | undefined,
): NonNullable<UsageWriterOptions["insert"]> {
  if (!observe) return insert;
  return async (db, records) => {
    const startedAt = performance.now();
    try {
      await insert(db, records);
    } finally {
      observe((performance.now() - startedAt) / 1e3);
    }
  };
}
