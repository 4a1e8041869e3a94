import {
  addressBudgetKey,
  type Clock,
  createMemoryRateLimiter,
  createRedisConnection,
  type RateLimitCharge,
  type RateLimiter,
  type RateLimitRule,
  redisLimiterWithFallback,
  waitUntilConnected,
} from "@dsc/core";

/**
 * Failed sign-ins allowed before the next attempt has to wait. Every bucket refills evenly, so
 * a wait is never a lock: it is the time until one more attempt fits, and it grows as failures
 * go on (nothing, then 12 s, then 3 minutes from one address at one account).
 */
export interface LoginLimits {
  /** one account from one address: a person mistyping, or someone guessing from there */
  perAccountAddress: readonly RateLimitRule[];
  /** one address across accounts: trying passwords on many accounts from one place */
  perAddress: readonly RateLimitRule[];
}

export const LOGIN_LIMITS: LoginLimits = {
  perAccountAddress: [
    { limit: 5, windowMs: 60_000 },
    { limit: 20, windowMs: 60 * 60_000 },
  ],
  perAddress: [{ limit: 30, windowMs: 15 * 60_000 }],
};

export type LoginAttempt =
  | {
      allowed: true;
      /** the password was right: the attempt was no failure, and counts against nobody */
      refund(): Promise<void>;
    }
  | { allowed: false; retryAfterMs: number };

/**
 * Counts failed sign-ins per (account, address) and per address, never per account alone: a
 * per-account count would let anyone who knows the admin's e-mail address lock the admin out
 * by failing on purpose. So a right password from an address that is within its own budget
 * always signs in, however hard the account is attacked from elsewhere; the attacker's
 * addresses wait.
 *
 * An attempt is spent before the password is checked (argon2 is deliberately slow, and
 * concurrent guesses must not all pass a check made before any of them failed) and given back
 * when the password was right. A refused attempt spends nothing.
 */
export class LoginThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly limits: LoginLimits = LOGIN_LIMITS,
  ) {}

  async attempt(email: string, clientAddress: string): Promise<LoginAttempt> {
    const account = email.trim().toLowerCase();
    const address = addressBudgetKey(clientAddress);
    const charges: RateLimitCharge[] = [
      ...this.limits.perAccountAddress.map((rule, i) => ({
        key: `dashboard-login:account-address:${i}:${address}:${account}`,
        rule,
        cost: 1,
      })),
      ...this.limits.perAddress.map((rule, i) => ({
        key: `dashboard-login:address:${i}:${address}`,
        rule,
        cost: 1,
      })),
    ];
    const verdict = await this.limiter.check({ charges });
    if (verdict.allowed) {
      return {
        allowed: true,
        refund: () => this.limiter.adjust(charges.map((charge) => ({ ...charge, cost: -1 }))),
      };
    }
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
      limiter: createMemoryRateLimiter({ clock }),
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
