import type { EventEmitter } from "node:events";
import {
  type Clock,
  createMemoryRateLimiter,
  createMemoryResponseCache,
  createRedisConnection,
  createRedisResponseCache,
  type FallbackRateLimiter,
  type MemoryResponseCache,
  type RateLimiter,
  type RedisResponseCache,
  redisLimiterWithFallback,
  waitUntilConnected,
} from "@dsc/core";
import type { Logger } from "pino";

/** Where limits and cached answers live: Redis (shared by every instance) or this process's memory. */
export interface LimitStore {
  kind: "redis" | "memory";
  limiter: RateLimiter;
  /** the Redis limiter with its memory fallback; null in memory only */
  fallback: FallbackRateLimiter | null;
  /** null when caching is off */
  cache: MemoryResponseCache | RedisResponseCache | null;
  close(): Promise<void>;
}

/**
 * With Redis, limits are shared by every instance and fall back to this instance's memory while
 * Redis is unreachable (logged once per transition); the cache then answers misses. Without
 * Redis, both live in memory. `events` hears "store" "up" / "down" as Redis comes and goes.
 */
export async function openLimitStore(options: {
  clock: Clock;
  logger: Logger;
  events: EventEmitter;
  redisUrl?: string | null;
  redisPrefix?: string;
  redisRetryIntervalMs?: number;
  isCacheOn: boolean;
}): Promise<LimitStore> {
  const { clock, logger, events } = options;
  if (!options.redisUrl) {
    return {
      kind: "memory",
      limiter: createMemoryRateLimiter({ clock }),
      fallback: null,
      cache: options.isCacheOn ? createMemoryResponseCache({ clock }) : null,
      close: async () => {},
    };
  }
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
  const fallback = redisLimiterWithFallback({
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
  return {
    kind: "redis",
    limiter: fallback,
    fallback,
    cache: options.isCacheOn
      ? createRedisResponseCache({
          redis,
          prefix,
          onError: (error) => logger.debug({ err: error }, "response cache unavailable; answered as a miss"),
        })
      : null,
    close: async () => {
      redis.disconnect();
    },
  };
}
