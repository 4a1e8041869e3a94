import {
  type Clock,
  createRedisConnection,
  MemoryRateLimiter,
  type RateLimiter,
  type RateLimitRule,
  redisLimiterWithFallback,
  waitUntilConnected,
} from "@dsc/core";

/** Sign-in attempts allowed per account and per client address, refilling evenly. */
export const LOGIN_LIMITS = {
  perEmail: { limit: 10, windowMs: 15 * 60_000 },
  perAddress: { limit: 30, windowMs: 15 * 60_000 },
} satisfies Record<string, RateLimitRule>;

export type LoginAttempt = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Counts every sign-in attempt, before the password is checked (argon2 is deliberately slow,
 * and so must not be free to call). An attempt passes only when both the account's and the
 * address's buckets have room; a refused one spends nothing.
 */
export class LoginThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: typeof LOGIN_LIMITS = LOGIN_LIMITS,
  ) {}

  async attempt(email: string, address: string): Promise<LoginAttempt> {
    const verdict = await this.limiter.check({
      charges: [
        { key: `dashboard-login:email:${email.trim().toLowerCase()}`, rule: this.limits.perEmail, cost: 1 },
        { key: `dashboard-login:address:${address}`, rule: this.limits.perAddress, cost: 1 },
      ],
    });
    if (verdict.allowed) return { allowed: true };
    const retryAfterMs = Math.max(
      0,
      ...verdict.decisions.filter((d) => !d.allowed).map((d) => d.retryAfterMs),
    );
    return { allowed: false, retryAfterMs };
  }
}

/**
 * The limiter sign-in attempts spend. With Redis (REDIS_URL, as the gateways use it) every
 * dashboard instance counts the same attempts, so that more instances do not mean more
 * guesses; while Redis is unreachable each instance counts in its own memory, never unlimited,
 * and `onFallback` hears of it once. Without Redis, this process's memory.
 */
export function createLoginLimiter(
  redisUrl: string | null,
  clock: Clock,
  onFallback: (cause: unknown) => void = () => {},
): { limiter: RateLimiter; connected: Promise<boolean>; close(): Promise<void> } {
  if (!redisUrl) {
    return {
      limiter: new MemoryRateLimiter(clock),
      connected: Promise.resolve(false),
      close: async () => {},
    };
  }
  // connection errors repeat at every reconnection attempt: the fallback's transition says it once
  const redis = createRedisConnection(redisUrl);
  const limiter = redisLimiterWithFallback({
    redis,
    clock,
    onTransition: (backend, cause) => {
      if (backend === "fallback") onFallback(cause);
    },
  });
  return {
    limiter,
    /** whether Redis answered within 2 s (it goes on trying after) */
    connected: waitUntilConnected(redis, 2_000),
    async close() {
      await redis.quit().catch(() => {});
    },
  };
}
