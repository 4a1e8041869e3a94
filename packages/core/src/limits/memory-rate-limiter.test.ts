import { describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { createMemoryRateLimiter } from "./memory-rate-limiter.ts";
import { describeRateLimiterContract } from "./rate-limiter.contract.ts";

describeRateLimiterContract("MemoryRateLimiter", async (clock) => createMemoryRateLimiter({ clock }));

describe("MemoryRateLimiter", () => {
  it("forgets a quota counter when it expires, so that it is seeded again", async () => {
    const clock = fakeClock();
    const limiter = createMemoryRateLimiter({ clock });
    const quota = { key: "quota:org", limit: 10 };
    await limiter.seedQuota("quota:org", 3, 60_000);
    expect((await limiter.check({ charges: [], quota })).quota).toEqual({ state: "ok", used: 3 });
    clock.advance(60_000);
    expect((await limiter.check({ charges: [], quota })).quota).toEqual({ state: "unseeded" });
  });

  it("drops buckets that have drained", async () => {
    const clock = fakeClock();
    const limiter = createMemoryRateLimiter({ clock });
    for (let i = 0; i < 1_000; i++) {
      await limiter.check({ charges: [{ key: `k${i}`, rule: { limit: 5, windowMs: 60_000 }, cost: 1 }] });
    }
    clock.advance(61_000);
    await limiter.check({ charges: [{ key: "k-last", rule: { limit: 5, windowMs: 60_000 }, cost: 1 }] });
    // every old bucket had drained and went; only the last one is kept
    expect(limiter.bucketCount).toBe(1);
  });
});
