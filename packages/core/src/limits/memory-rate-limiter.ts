import type { Clock } from "../time/clock.ts";
import {
  adjustedState,
  type BucketState,
  emptyAt,
  evaluateCharges,
  type LimitCheck,
  type LimitVerdict,
  type QuotaStatus,
  type RateLimitCharge,
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
export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly counters = new Map<string, { used: number; expiresAt: number }>();
  private lastSweep = 0;

  constructor(private readonly clock: Clock) {}

  async check(check: LimitCheck): Promise<LimitVerdict> {
    const now = this.clock.now().getTime();
    this.sweep(now);
    let quota: QuotaStatus | null = null;
    if (check.quota) {
      const counter = this.counter(check.quota.key, now);
      if (!counter) return { allowed: false, decisions: [], quota: { state: "unseeded" } };
      quota = { state: counter.used >= check.quota.limit ? "exhausted" : "ok", used: counter.used };
    }
    const states = check.charges.map((charge) => this.buckets.get(charge.key));
    const result = evaluateCharges(states, now, check.charges, quota?.state === "exhausted");
    if (result.allowed) {
      for (const [i, charge] of check.charges.entries()) {
        this.store(charge.key, result.newStates[i] ?? null, charge.rule);
      }
    }
    return { allowed: result.allowed, decisions: result.decisions, quota };
  }

  async adjust(
    charges: readonly RateLimitCharge[],
    quota?: { key: string; delta: number } | null,
  ): Promise<void> {
    const now = this.clock.now().getTime();
    for (const charge of charges) {
      if (charge.cost === 0) continue;
      this.store(
        charge.key,
        adjustedState(this.buckets.get(charge.key), now, charge.rule, charge.cost),
        charge.rule,
      );
    }
    if (quota && quota.delta !== 0) {
      const counter = this.counter(quota.key, now);
      if (counter) counter.used += quota.delta;
    }
  }

  async seedQuota(key: string, used: number, ttlMs: number): Promise<void> {
    const now = this.clock.now().getTime();
    if (!this.counter(key, now)) this.counters.set(key, { used, expiresAt: now + ttlMs });
  }

  private store(key: string, state: BucketState | null, rule: RateLimitRule) {
    if (state === null || state.level <= 0) this.buckets.delete(key);
    else this.buckets.set(key, { ...state, expiresAt: emptyAt(state, rule) });
  }

  private counter(key: string, now: number) {
    const counter = this.counters.get(key);
    if (counter && counter.expiresAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private sweep(now: number) {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (bucket.expiresAt <= now) this.buckets.delete(key);
    for (const [key, counter] of this.counters) if (counter.expiresAt <= now) this.counters.delete(key);
  }
}
