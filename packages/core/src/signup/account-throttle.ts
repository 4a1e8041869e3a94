import { DomainError } from "../errors/domain-error.ts";
import type { RateLimitCharge, RateLimiter, RateLimitRule } from "../limits/rate-limiter.ts";
import { addressBudgetKey } from "../proxies/address-budget.ts";

/**
 * What sends e-mail to an address anyone may type: signing up and sending the verification
 * link again share one budget, asking for a password reset has its own.
 */
export type ThrottledAccountAction = "account-mail" | "password-reset";

export interface AccountLimits {
  /** one e-mail address: nobody's inbox is filled by strangers */
  perEmail: RateLimitRule;
  /** one client address (IPv6: its /64): nobody makes accounts, or probes addresses, in bulk */
  perClient: RateLimitRule;
  /** one signed-in person (an inviter): nobody mails strangers in bulk from any address */
  perAccount: RateLimitRule;
}

const HOUR_MS = 60 * 60_000;

export const ACCOUNT_LIMITS: AccountLimits = {
  perEmail: { limit: 5, windowMs: HOUR_MS },
  perClient: { limit: 20, windowMs: HOUR_MS },
  perAccount: { limit: 20, windowMs: HOUR_MS },
};

export interface AccountThrottle {
  /**
   * Spends one attempt of `action` for the address and the client (and for the signed-in
   * person who asked, when there is one), or refuses with the wait.
   */
  spend(
    action: ThrottledAccountAction,
    input: { email: string; origin: string; accountId?: string },
  ): Promise<void>;
}

/**
 * The throttle of sign-ups, verification e-mails and password-reset requests, on the same
 * limiter as the dashboard's sign-ins (Redis when configured, so that every instance counts
 * the same attempts). Attempts are spent before anything is looked up: a refusal says
 * nothing about whether the address has an account.
 */
export function createAccountThrottle(
  limiter: RateLimiter,
  limits: AccountLimits = ACCOUNT_LIMITS,
): AccountThrottle {
  return {
    async spend(action, input) {
      const charges: RateLimitCharge[] = [
        {
          key: `dashboard-${action}:email:${input.email.trim().toLowerCase()}`,
          rule: limits.perEmail,
          cost: 1,
        },
        {
          key: `dashboard-${action}:client:${addressBudgetKey(input.origin)}`,
          rule: limits.perClient,
          cost: 1,
        },
      ];
      if (input.accountId) {
        charges.push({
          key: `dashboard-${action}:account:${input.accountId}`,
          rule: limits.perAccount,
          cost: 1,
        });
      }
      const verdict = await limiter.check({ charges });
      if (verdict.allowed) return;
      const waitMs = Math.max(0, ...verdict.decisions.filter((d) => !d.allowed).map((d) => d.retryAfterMs));
      throw new DomainError("rate_limited", `Too many attempts. Try again in ${waitText(waitMs)}.`, null);
    },
  };
}

function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}
