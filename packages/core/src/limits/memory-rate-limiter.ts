import type { Clock } from "../time/clock.ts";
import { gcra, type RateLimitDecision, type RateLimiter, type RateLimitRule } from "./rate-limiter.ts";

/**
 * GCRA in process memory: exact for one instance. Keys whose bucket is full again are
 * dropped by a sweep, so memory stays proportional to recently active keys.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly tats = new Map<string, { tat: number; expiresAt: number }>();
  private lastSweep = 0;

  constructor(private readonly clock: Clock) {}

  async consume(key: string, rule: RateLimitRule, cost = 1): Promise<RateLimitDecision> {
    const now = this.clock.now().getTime();
    this.sweep(now);
    const { decision, newTat } = gcra(this.tats.get(key)?.tat, now, rule, cost);
    if (newTat !== null) this.tats.set(key, { tat: newTat, expiresAt: newTat });
    return decision;
  }

  async refund(key: string, rule: RateLimitRule, units: number): Promise<void> {
    const entry = this.tats.get(key);
    if (!entry || units <= 0) return;
    const now = this.clock.now().getTime();
    const tat = Math.max(now, entry.tat - (units * rule.windowMs) / rule.limit);
    this.tats.set(key, { tat, expiresAt: tat });
  }

  private sweep(now: number) {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, entry] of this.tats) if (entry.expiresAt <= now) this.tats.delete(key);
  }
}
