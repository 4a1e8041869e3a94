import { describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import type { RateLimitCharge, RateLimiter, RateLimitRule } from "./rate-limiter.ts";

type FakeClock = ReturnType<typeof fakeClock>;

const perMinute = (limit: number): RateLimitRule => ({ limit, windowMs: 60_000 });

/**
 * The behaviour every RateLimiter store must have, run against each one with a fake clock.
 * `make` returns a limiter whose keys no other test uses.
 */
export function describeRateLimiterContract(name: string, make: (clock: FakeClock) => Promise<RateLimiter>) {
  const one = async (limiter: RateLimiter, key: string, rule: RateLimitRule, cost = 1) => {
    const verdict = await limiter.check({ charges: [{ key, rule, cost }] });
    return {
      ...(verdict.decisions[0] as NonNullable<(typeof verdict.decisions)[0]>),
      allowed: verdict.allowed,
    };
  };

  describe(`${name}: the RateLimiter contract (GCRA)`, () => {
    it("lets exactly 5 of 7 simultaneous requests through at 5 per minute", async () => {
      const limiter = await make(fakeClock());
      const decisions = await Promise.all(Array.from({ length: 7 }, () => one(limiter, "org", perMinute(5))));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
      expect(decisions.map((d) => d.remaining).sort()).toEqual([0, 0, 0, 1, 2, 3, 4]);
      expect(decisions.filter((d) => !d.allowed).map((d) => d.retryAfterMs)).toEqual([12_000, 12_000]);
    });

    it("refills evenly: one request per interval, to the millisecond", async () => {
      const clock = fakeClock();
      const limiter = await make(clock);
      for (let i = 0; i < 5; i++) await one(limiter, "org", perMinute(5));
      clock.advance(11_999);
      expect(await one(limiter, "org", perMinute(5))).toMatchObject({ allowed: false, retryAfterMs: 1 });
      clock.advance(1);
      expect((await one(limiter, "org", perMinute(5))).allowed).toBe(true);
      expect((await one(limiter, "org", perMinute(5))).allowed).toBe(false);
    });

    it("has no window edge where twice the limit passes", async () => {
      const clock = fakeClock(new Date("2026-01-15T12:00:59.900Z"));
      const limiter = await make(clock);
      const before = await Promise.all(Array.from({ length: 5 }, () => one(limiter, "org", perMinute(5))));
      expect(before.every((d) => d.allowed)).toBe(true);
      clock.advance(200); // across a minute boundary: a fixed window would start afresh here
      const after = await Promise.all(Array.from({ length: 5 }, () => one(limiter, "org", perMinute(5))));
      expect(after.filter((d) => d.allowed)).toHaveLength(0);
      clock.advance(60_000);
      const refilled = await Promise.all(Array.from({ length: 6 }, () => one(limiter, "org", perMinute(5))));
      expect(refilled.filter((d) => d.allowed)).toHaveLength(5);
    });

    it("reports limit, remaining and the time until the bucket is full", async () => {
      const clock = fakeClock();
      const limiter = await make(clock);
      expect(await one(limiter, "org", perMinute(60))).toMatchObject({
        allowed: true,
        limit: 60,
        remaining: 59,
        resetMs: 1_000,
      });
      for (let i = 0; i < 9; i++) await one(limiter, "org", perMinute(60));
      clock.advance(2_500);
      expect(await one(limiter, "org", perMinute(60))).toMatchObject({ remaining: 51, resetMs: 8_500 });
    });

    it("spends every charge of a check or none", async () => {
      const limiter = await make(fakeClock());
      const org: RateLimitCharge = { key: "org", rule: perMinute(10), cost: 1 };
      const key: RateLimitCharge = { key: "key", rule: perMinute(2), cost: 1 };
      expect((await limiter.check({ charges: [org, key] })).allowed).toBe(true);
      expect((await limiter.check({ charges: [org, key] })).allowed).toBe(true);
      const refused = await limiter.check({ charges: [org, key] });
      expect(refused.allowed).toBe(false);
      // the organization's charge fitted but was not spent
      expect(refused.decisions[0]).toMatchObject({ allowed: true, remaining: 8 });
      expect(refused.decisions[1]).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 30_000 });
      expect(await one(limiter, "org", perMinute(10))).toMatchObject({ allowed: true, remaining: 7 });
    });

    it("charges costs, refuses what exceeds the limit, and takes refunds", async () => {
      const limiter = await make(fakeClock());
      const tokens = perMinute(1000);
      expect(await one(limiter, "t", tokens, 800)).toMatchObject({ allowed: true, remaining: 200 });
      expect(await one(limiter, "t", tokens, 300)).toMatchObject({ allowed: false, remaining: 200 });
      await limiter.adjust([{ key: "t", rule: tokens, cost: -500 }]);
      expect(await one(limiter, "t", tokens, 300)).toMatchObject({ allowed: true, remaining: 400 });
      expect(await one(limiter, "x", tokens, 1001)).toMatchObject({ allowed: false, retryAfterMs: 60_000 });
    });

    it("spends a settled overrun past the limit, and refuses until it has refilled", async () => {
      const clock = fakeClock();
      const limiter = await make(clock);
      const tokens = perMinute(1000);
      await one(limiter, "t", tokens, 500);
      await limiter.adjust([{ key: "t", rule: tokens, cost: 1000 }]); // used 1500 of an estimated 500
      // 60 ms per token: 1500 + 1 tokens spent, 1000 may be outstanding
      expect(await one(limiter, "t", tokens, 1)).toMatchObject({ allowed: false, retryAfterMs: 30_060 });
      clock.advance(30_060);
      expect((await one(limiter, "t", tokens, 1)).allowed).toBe(true);
    });

    it("gives nothing back to a bucket that is full already", async () => {
      const limiter = await make(fakeClock());
      await limiter.adjust([{ key: "fresh", rule: perMinute(5), cost: -3 }]);
      const decisions = await Promise.all(
        Array.from({ length: 6 }, () => one(limiter, "fresh", perMinute(5))),
      );
      expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    });

    it("keeps keys apart", async () => {
      const limiter = await make(fakeClock());
      for (let i = 0; i < 5; i++) await one(limiter, "a", perMinute(5));
      expect((await one(limiter, "b", perMinute(5))).allowed).toBe(true);
      expect((await one(limiter, "a", perMinute(5))).allowed).toBe(false);
    });

    it("applies a changed rule to the stored state on the next check", async () => {
      const limiter = await make(fakeClock());
      for (let i = 0; i < 5; i++) await one(limiter, "org", perMinute(5));
      expect((await one(limiter, "org", perMinute(5))).allowed).toBe(false);
      // the organization moved to a larger tier: it may go on at once
      expect(await one(limiter, "org", perMinute(60))).toMatchObject({ allowed: true });
    });

    it("asks for a quota counter to be seeded, then counts against it", async () => {
      const limiter = await make(fakeClock());
      const charges = [{ key: "q-org", rule: perMinute(100), cost: 1 }];
      const quota = { key: "quota:q", limit: 1_000 };
      const unseeded = await limiter.check({ charges, quota });
      expect(unseeded).toMatchObject({ allowed: false, decisions: [], quota: { state: "unseeded" } });
      await limiter.seedQuota("quota:q", 900, 600_000);
      await limiter.seedQuota("quota:q", 0, 600_000); // only if absent: the first seed stays
      expect(await limiter.check({ charges, quota })).toMatchObject({
        allowed: true,
        quota: { state: "ok", used: 900 },
      });
      await limiter.adjust([], { key: "quota:q", delta: 100 });
      const exhausted = await limiter.check({ charges, quota });
      expect(exhausted).toMatchObject({ allowed: false, quota: { state: "exhausted", used: 1_000 } });
      // an exhausted quota spends nothing
      expect(exhausted.decisions[0]).toMatchObject({ allowed: true, remaining: 99 });
    });

    it("does not create a quota counter by adding to it", async () => {
      const limiter = await make(fakeClock());
      await limiter.adjust([], { key: "quota:none", delta: 5 });
      const verdict = await limiter.check({ charges: [], quota: { key: "quota:none", limit: 10 } });
      expect(verdict.quota).toEqual({ state: "unseeded" });
    });
  });
}
