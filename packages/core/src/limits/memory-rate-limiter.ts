import type { Clock } from "../time/clock.ts";
import {
  adjustedState,
  type BucketState,
  emptyAt,
  evaluateCharges,
  type QuotaStatus,
  type RateLimiter,
  type RateLimitRule,
} from "./rate-limiter.ts";

interface Bucket extends BucketState {
  /** when it is empty again: a sweep may drop it then */
  expiresAt: number;
}

/**
 * GCRA buckets and quota counters in process memory: exact for one instance, and the fallback
 * of every instance while Redis is unreachable. JavaScript runs a check to its end without
 * interleaving, so a check is atomic. Empty buckets and expired counters are dropped by a
 * sweep, so memory stays proportional to recently active keys.
 */
export interface MemoryRateLimiter extends RateLimiter {
  /** buckets kept now: those that have not drained yet, until the next sweep */
  readonly bucketCount: number;
}

export function createMemoryRateLimiter(deps: { clock: Clock }): MemoryRateLimiter {
  const buckets = new Map<string, Bucket>();
  const counters = new Map<string, { used: number; expiresAt: number }>();
  let lastSweep = 0;
  const nowMs = () => deps.clock.now().getTime();

  const store = (key: string, state: BucketState | null, rule: RateLimitRule) => {
    if (state === null || state.level <= 0) buckets.delete(key);
    else buckets.set(key, { ...state, expiresAt: emptyAt(state, rule) });
  };

  const counter = (key: string, now: number) => {
    const found = counters.get(key);
    if (found && found.expiresAt <= now) {
      counters.delete(key);
      return undefined;
    }
    return found;
  };

  const sweep = (now: number) => {
    if (now - lastSweep < 60_000) return;
    lastSweep = now;
    for (const [key, bucket] of buckets) if (bucket.expiresAt <= now) buckets.delete(key);
    for (const [key, found] of counters) if (found.expiresAt <= now) counters.delete(key);
  };

  return {
    get bucketCount() {
      return buckets.size;
    },

    async check(check) {
      const now = nowMs();
      sweep(now);
      let quota: QuotaStatus | null = null;
      if (check.quota) {
        const found = counter(check.quota.key, now);
        if (!found) return { allowed: false, decisions: [], quota: { state: "unseeded" } };
        quota = { state: found.used >= check.quota.limit ? "exhausted" : "ok", used: found.used };
      }
      const states = check.charges.map((charge) => buckets.get(charge.key));
      const result = evaluateCharges(states, now, check.charges, quota?.state === "exhausted");
      if (result.allowed) {
        for (const [i, charge] of check.charges.entries()) {
          store(charge.key, result.newStates[i] ?? null, charge.rule);
        }
        const reserve = Math.round(check.quota?.reserve ?? 0);
        if (check.quota && reserve > 0) {
          const found = counter(check.quota.key, now);
          if (found) found.used += reserve;
        }
      }
      return { allowed: result.allowed, decisions: result.decisions, quota };
    },

    async adjust(charges, quota) {
      const now = nowMs();
      for (const charge of charges) {
        if (charge.cost === 0) continue;
        store(charge.key, adjustedState(buckets.get(charge.key), now, charge.rule, charge.cost), charge.rule);
      }
      if (quota && quota.delta !== 0) {
        const found = counter(quota.key, now);
        if (found) found.used += quota.delta;
      }
    },

    async seedQuota(key, used, ttlMs) {
      const now = nowMs();
      if (!counter(key, now)) counters.set(key, { used, expiresAt: now + ttlMs });
    },
  };
}
