import type { Redis } from "ioredis";
import type { Clock } from "../time/clock.ts";
import { MemoryRateLimiter } from "./memory-rate-limiter.ts";
import type { LimitCheck, LimitVerdict, RateLimitCharge, RateLimiter } from "./rate-limiter.ts";
import { RedisRateLimiter } from "./redis-rate-limiter.ts";

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

/**
 * Shared limits (Redis) with a local fallback: when the primary fails or its connection is
 * down, checks go to the instance's memory limiter, so requests are still limited (per
 * instance) and never fail because of the store. Once the connection is back the next check
 * after `retryIntervalMs` tries the primary again and, if it answers, stays there.
 */
export class FallbackRateLimiter implements RateLimiter {
  private backend: LimiterBackend = "primary";
  private lastFailureAt = Number.NEGATIVE_INFINITY;
  private fallbacks = 0;
  private fallbackChecks = 0;
  private readonly retryIntervalMs: number;

  constructor(private readonly options: FallbackRateLimiterOptions) {
    this.retryIntervalMs = options.retryIntervalMs ?? 1_000;
  }

  get status(): FallbackLimiterStatus {
    return { backend: this.backend, fallbacks: this.fallbacks, fallbackChecks: this.fallbackChecks };
  }

  async check(check: LimitCheck): Promise<LimitVerdict> {
    return this.route((limiter) => limiter.check(check), true);
  }

  async adjust(
    charges: readonly RateLimitCharge[],
    quota?: { key: string; delta: number } | null,
  ): Promise<void> {
    await this.route((limiter) => limiter.adjust(charges, quota), false);
  }

  async seedQuota(key: string, used: number, ttlMs: number): Promise<void> {
    await this.route((limiter) => limiter.seedQuota(key, used, ttlMs), false);
  }

  private async route<T>(run: (limiter: RateLimiter) => Promise<T>, isCheck: boolean): Promise<T> {
    if (this.shouldTryPrimary()) {
      try {
        const result = await run(this.options.primary);
        this.switchTo("primary");
        return result;
      } catch (error) {
        this.lastFailureAt = this.clock();
        this.switchTo("fallback", error);
      }
    } else if (this.backend === "primary") {
      this.lastFailureAt = this.clock();
      this.switchTo("fallback", new Error("the shared limiter's connection is down"));
    }
    if (isCheck) this.fallbackChecks += 1;
    return run(this.options.fallback);
  }

  private shouldTryPrimary(): boolean {
    if (!this.options.isPrimaryConnected()) return false;
    return this.backend === "primary" || this.clock() - this.lastFailureAt >= this.retryIntervalMs;
  }

  private switchTo(backend: LimiterBackend, cause?: unknown) {
    if (this.backend === backend) return;
    this.backend = backend;
    if (backend === "fallback") this.fallbacks += 1;
    this.options.onTransition?.(backend, cause);
  }

  private clock(): number {
    return this.options.clock.now().getTime();
  }
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
  return new FallbackRateLimiter({
    primary: new RedisRateLimiter({
      redis,
      clock,
      ...(options.prefix !== undefined && { prefix: options.prefix }),
    }),
    fallback: new MemoryRateLimiter(clock),
    clock,
    isPrimaryConnected: () => redis.status === "ready",
    ...(options.retryIntervalMs !== undefined && { retryIntervalMs: options.retryIntervalMs }),
    ...(options.onTransition && { onTransition: options.onTransition }),
  });
}
