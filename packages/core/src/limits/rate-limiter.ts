/** How many units (requests, tokens) a key may spend per window. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** units left right after this decision */
  remaining: number;
  /** time until the bucket is full again */
  resetMs: number;
  /** when refused: time until this request would pass; 0 when allowed */
  retryAfterMs: number;
}

/**
 * A limiter with GCRA semantics (a leaky bucket that allows a burst of `limit` and refills
 * evenly over the window): no fixed-window edge where twice the limit passes.
 */
export interface RateLimiter {
  /** Spends `cost` units if they are available; refuses without spending otherwise. */
  consume(key: string, rule: RateLimitRule, cost?: number): Promise<RateLimitDecision>;
  /** Gives units back (a reservation settled lower than it was taken). */
  refund(key: string, rule: RateLimitRule, units: number): Promise<void>;
}

/**
 * One GCRA step. `tat` is the theoretical arrival time stored for the key (ms), absent for a
 * fresh key. Returns the decision and the new TAT to store when allowed.
 */
export function gcra(
  tat: number | undefined,
  now: number,
  rule: RateLimitRule,
  cost: number,
): { decision: RateLimitDecision; newTat: number | null } {
  const interval = rule.windowMs / rule.limit;
  const base = Math.max(tat ?? now, now);
  const newTat = base + cost * interval;
  const allowAt = newTat - rule.windowMs;
  if (cost > rule.limit || now < allowAt) {
    const remaining = Math.max(0, Math.floor((rule.windowMs - (base - now)) / interval + 1e-9));
    return {
      decision: {
        allowed: false,
        limit: rule.limit,
        remaining,
        resetMs: Math.max(0, base - now),
        retryAfterMs: cost > rule.limit ? rule.windowMs : Math.ceil(allowAt - now),
      },
      newTat: null,
    };
  }
  return {
    decision: {
      allowed: true,
      limit: rule.limit,
      remaining: Math.max(0, Math.floor((rule.windowMs - (newTat - now)) / interval + 1e-9)),
      resetMs: Math.ceil(newTat - now),
      retryAfterMs: 0,
    },
    newTat,
  };
}
