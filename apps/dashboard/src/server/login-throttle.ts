import type { RateLimiter, RateLimitRule } from "@dsc/core";

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
