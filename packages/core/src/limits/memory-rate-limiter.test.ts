import { describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { MemoryRateLimiter } from "./memory-rate-limiter.ts";

const perMinute = (limit: number) => ({ limit, windowMs: 60_000 });

describe("MemoryRateLimiter (GCRA)", () => {
  it("lets exactly 5 of 7 simultaneous requests through at 5 per minute", async () => {
    const limiter = new MemoryRateLimiter(fakeClock());
    const decisions = await Promise.all(
      Array.from({ length: 7 }, () => limiter.consume("org", perMinute(5))),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
    expect(decisions[5]).toMatchObject({ allowed: false, retryAfterMs: 12_000 });
  });

  it("refills evenly, not at a window edge", async () => {
    const clock = fakeClock();
    const limiter = new MemoryRateLimiter(clock);
    for (let i = 0; i < 5; i++) await limiter.consume("org", perMinute(5));
    clock.advance(11_999);
    expect((await limiter.consume("org", perMinute(5))).allowed).toBe(false);
    clock.advance(1);
    expect((await limiter.consume("org", perMinute(5))).allowed).toBe(true);
    expect((await limiter.consume("org", perMinute(5))).allowed).toBe(false);
  });

  it("charges costs, refuses what exceeds the limit, and takes refunds", async () => {
    const clock = fakeClock();
    const limiter = new MemoryRateLimiter(clock);
    const tokens = { limit: 1000, windowMs: 60_000 };
    expect((await limiter.consume("t", tokens, 800)).remaining).toBe(200);
    expect((await limiter.consume("t", tokens, 300)).allowed).toBe(false);
    await limiter.refund("t", tokens, 500);
    expect((await limiter.consume("t", tokens, 300)).allowed).toBe(true);
    expect((await limiter.consume("x", tokens, 1001)).allowed).toBe(false);
  });

  it("keeps keys apart", async () => {
    const limiter = new MemoryRateLimiter(fakeClock());
    for (let i = 0; i < 5; i++) await limiter.consume("a", perMinute(5));
    expect((await limiter.consume("b", perMinute(5))).allowed).toBe(true);
  });
});
