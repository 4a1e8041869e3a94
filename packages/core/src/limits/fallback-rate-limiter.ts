import type { Redis } from "ioredis";
import type { Clock } from "../time/clock.ts";
import { createMemoryRateLimiter } from "./memory-rate-limiter.ts";
import type { LimitCheck, LimitVerdict, RateLimitCharge, RateLimiter } from "./rate-limiter.ts";
import { createRedisRateLimiter } from "./redis-rate-limiter.ts";

export type LimiterBackend = "primary" | "fallback";

export interface FallbackRateLimiterOptions {
  primary: RateLimiter;
  /** the instance's own limiter (memory): never fully open, exact per instance */
  fallback: RateLimiter;
  clock: Clock;
  /** false while the primary's connection is known to be down: checks skip it at once */
  isPrimaryConnected: () => boolean;
  /** after a failure, the primary is tried again no sooner than this (default 1 s) */
  retryIntervalMs?: number;
  /** called once per transition, with the error that caused a fall back */
  onTransition?: (backend: LimiterBackend, cause?: unknown) => void;
}

/** What the limiter reports as metrics. */
export interface FallbackLimiterStatus {
  backend: LimiterBackend;
  /** transitions from the primary to the fallback since start */
  fallbacks: number;
  /** checks the fallback answered */
  fallbackChecks: number;
}

/** A limiter that reports which backend answers, for the metrics. */
export interface FallbackRateLimiter extends RateLimiter {
  readonly status: FallbackLimiterStatus;
}

/**
 * Shared limits (Redis) with a local fallback: when the primary fails or its connection is
 * down, checks go to the instance's memory limiter, so requests are still limited (per
 * instance) and never fail because of the store. Once the connection is back the next check
 * after `retryIntervalMs` tries the primary again and, if it answers, stays there.
 */
export function createFallbackRateLimiter(options: FallbackRateLimiterOptions): FallbackRateLimiter {
  const retryIntervalMs = options.retryIntervalMs ?? 1_000;
  let backend: LimiterBackend = "primary";
  let lastFailureAt = Number.NEGATIVE_INFINITY;
  let fallbacks = 0;
  let fallbackChecks = 0;
  const nowMs = () => options.clock.now().getTime();

  const switchTo = (next: LimiterBackend, cause?: unknown) => {
    if (backend === next) return;
    backend = next;
    if (next === "fallback") fallbacks += 1;
    options.onTransition?.(next, cause);
  };

  const shouldTryPrimary = () => {
    if (!options.isPrimaryConnected()) return false;
    return backend === "primary" || nowMs() - lastFailureAt >= retryIntervalMs;
  };

  const route = async <T>(run: (limiter: RateLimiter) => Promise<T>, isCheck: boolean): Promise<T> => {
    if (shouldTryPrimary()) {
      try {
        const result = await run(options.primary);
        switchTo("primary");
        return result;
      } catch (error) {
        lastFailureAt = nowMs();
        switchTo("fallback", error);
      }
    } else if (backend === "primary") {
      lastFailureAt = nowMs();
      switchTo("fallback", new Error("the shared limiter's connection is down"));
    }
    if (isCheck) fallbackChecks += 1;
    return run(options.fallback);
  };

  return {
    get status(): FallbackLimiterStatus {
      return { backend, fallbacks, fallbackChecks };
    },
    check: (check: LimitCheck): Promise<LimitVerdict> => route((limiter) => limiter.check(check), true),
    async adjust(charges: readonly RateLimitCharge[], quota?: { key: string; delta: number } | null) {
      await route((limiter) => limiter.adjust(charges, quota), false);
    },
    async seedQuota(key: string, used: number, ttlMs: number) {
      await route((limiter) => limiter.seedQuota(key, used, ttlMs), false);
    },
  };
}

/**
 * Limits shared in Redis over `redis`, falling back to this process's memory while that
 * connection is down or failing (the gateways' limits, the dashboards' sign-in throttle).
 */
export function redisLimiterWithFallback(options: {
  redis: Redis;
  clock: Clock;
  /** namespace of the limiter's keys (default "dsc:") */
  prefix?: string;
  retryIntervalMs?: number;
  onTransition?: FallbackRateLimiterOptions["onTransition"];
}): FallbackRateLimiter {
  const { redis, clock } = options;
  return createFallbackRateLimiter({
    primary: createRedisRateLimiter({
      redis,
      clock,
      ...(options.prefix !== undefined && { prefix: options.prefix }),
    }),
    fallback: createMemoryRateLimiter({ clock }),
    clock,
    isPrimaryConnected: () => redis.status === "ready",
    ...(options.retryIntervalMs !== undefined && { retryIntervalMs: options.retryIntervalMs }),
    ...(options.onTransition && { onTransition: options.onTransition }),
  });
}
