/** How many units (requests, tokens) a key may spend per window. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  /** this charge fits (when the whole check was refused, nothing was spent all the same) */
  allowed: boolean;
  limit: number;
  /** units left right after this decision */
  remaining: number;
  /** time until the bucket is full again */
  resetMs: number;
  /** when refused: time until this charge would pass; 0 when allowed */
  retryAfterMs: number;
}

/** Units one check spends from one bucket. */
export interface RateLimitCharge {
  key: string;
  rule: RateLimitRule;
  cost: number;
}

/** A counter of units used this period (the month's tokens) and the most it may reach. */
export interface QuotaProbe {
  key: string;
  limit: number;
  /**
   * Tokens added to the counter in the same step when the check passes: the call's estimate,
   * so that calls in flight count against the quota before they settle (settling corrects it).
   */
  reserve?: number;
}

export interface LimitCheck {
  charges: readonly RateLimitCharge[];
  quota?: QuotaProbe | null;
}

export type QuotaStatus =
  | { state: "ok"; used: number }
  | { state: "exhausted"; used: number }
  /** the store has no counter for the period yet: seed it (seedQuota) and check again */
  | { state: "unseeded" };

export interface LimitVerdict {
  /** every charge was spent and the quota is not exhausted */
  allowed: boolean;
  /**
   * One per charge, in order. When the check was refused nothing was spent, and a charge that
   * would have fitted describes its bucket as it stands. Empty when the quota is unseeded.
   */
  decisions: RateLimitDecision[];
  quota: QuotaStatus | null;
}

/**
 * A limiter with GCRA semantics (a leaky bucket that allows a burst of `limit` and refills
 * evenly over the window): no fixed-window edge where twice the limit passes. A check spends
 * all of its charges or none (the organization's and the key's buckets, requests and tokens),
 * atomically; stores implement it in one step (one Redis script, one round trip).
 */
export interface RateLimiter {
  check(check: LimitCheck): Promise<LimitVerdict>;
  /**
   * Corrects what a check spent once the real cost is known: a negative cost gives units
   * back, a positive one spends them even past the limit (they were used already; the bucket
   * then refuses until it has refilled). `quota` adds to the period's counter if it exists.
   */
  adjust(charges: readonly RateLimitCharge[], quota?: { key: string; delta: number } | null): Promise<void>;
  /** Sets a period's counter unless it exists (seeded from the database); it lives `ttlMs`. */
  seedQuota(key: string, used: number, ttlMs: number): Promise<void>;
}

/**
 * A bucket's state: `level` units outstanding at time `at` (ms); it drains at `limit` units per
 * window. This is GCRA in its leaky-bucket form. Keeping units rather than a theoretical
 * arrival time makes a rule change exact: an organization that used 5 requests and moves from
 * 5 to 60 per minute has 55 left at once.
 */
export interface BucketState {
  level: number;
  at: number;
}

// float slack, so that 4.999999999 + 1 still fits in 5
const EPSILON = 1e-6;

/** Units outstanding at `now`, after draining since the state was stored. */
export function drainedLevel(state: BucketState | undefined, now: number, rule: RateLimitRule): number {
  if (!state) return 0;
  return Math.max(0, state.level - (Math.max(0, now - state.at) * rule.limit) / rule.windowMs);
}

/** Milliseconds `units` take to drain; whole and rounded up, ignoring float noise. */
function drainMs(units: number, rule: RateLimitRule): number {
  return Math.max(0, Math.ceil((units * rule.windowMs) / rule.limit - EPSILON));
}

/**
 * One GCRA step: whether `cost` units fit in the bucket now, and the state to store if so.
 * Stores run exactly this arithmetic (the Redis script too), so they decide alike.
 */
export function gcra(
  state: BucketState | undefined,
  now: number,
  rule: RateLimitRule,
  cost: number,
): { decision: RateLimitDecision; newState: BucketState | null } {
  const level = drainedLevel(state, now, rule);
  const after = level + cost;
  if (cost > rule.limit || after > rule.limit + EPSILON) {
    return {
      decision: {
        allowed: false,
        limit: rule.limit,
        remaining: remainingOf(level, rule),
        resetMs: drainMs(level, rule),
        retryAfterMs: cost > rule.limit ? rule.windowMs : Math.max(1, drainMs(after - rule.limit, rule)),
      },
      newState: null,
    };
  }
  return {
    decision: {
      allowed: true,
      limit: rule.limit,
      remaining: remainingOf(after, rule),
      resetMs: drainMs(after, rule),
      retryAfterMs: 0,
    },
    newState: { level: after, at: now },
  };
}

function remainingOf(level: number, rule: RateLimitRule): number {
  return Math.max(0, Math.floor(rule.limit - level + EPSILON));
}

/**
 * Evaluates every charge of a check against the stored states: all pass or none is spent
 * (`blocked` refuses them all, e.g. for an exhausted quota). Shared by the stores so that
 * memory and Redis decide alike (the Redis script decides; the client derives the decisions
 * from the states the script read).
 */
export function evaluateCharges(
  states: readonly (BucketState | undefined)[],
  now: number,
  charges: readonly RateLimitCharge[],
  blocked = false,
): { allowed: boolean; decisions: RateLimitDecision[]; newStates: (BucketState | null)[] } {
  const steps = charges.map((charge, i) => gcra(states[i], now, charge.rule, charge.cost));
  const allowed = !blocked && steps.every((step) => step.decision.allowed);
  if (allowed) {
    return { allowed, decisions: steps.map((s) => s.decision), newStates: steps.map((s) => s.newState) };
  }
  const decisions = steps.map((step, i) => {
    if (!step.decision.allowed) return step.decision;
    // it fits, but the check as a whole did not: show the bucket as it stands
    const charge = charges[i] as RateLimitCharge;
    const level = drainedLevel(states[i], now, charge.rule);
    return {
      allowed: true,
      limit: charge.rule.limit,
      remaining: remainingOf(level, charge.rule),
      resetMs: drainMs(level, charge.rule),
      retryAfterMs: 0,
    };
  });
  return { allowed, decisions, newStates: charges.map(() => null) };
}

/**
 * The state after a correction of `delta` units: a refund (negative) down to empty, or a
 * spend (positive) even past the limit. Null when the bucket is empty (nothing to keep).
 */
export function adjustedState(
  state: BucketState | undefined,
  now: number,
  rule: RateLimitRule,
  delta: number,
): BucketState | null {
  const level = Math.max(0, drainedLevel(state, now, rule) + delta);
  return level > 0 ? { level, at: now } : null;
}

/** When a bucket in this state is empty again (ms): the time to keep it. */
export function emptyAt(state: BucketState, rule: RateLimitRule): number {
  return state.at + (state.level * rule.windowMs) / rule.limit;
}
