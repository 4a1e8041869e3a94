import { randomUUID } from "node:crypto";
import { MemoryRateLimiter } from "@dsc/core";
import { describe, expect, inject, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { createLoginLimiter, LOGIN_LIMITS, LoginThrottle } from "./login-throttle.ts";

describe("LoginThrottle", () => {
  it("allows 10 attempts per account in 15 minutes, then refuses with a wait, then refills", async () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle(new MemoryRateLimiter(clock));
    for (let i = 0; i < LOGIN_LIMITS.perEmail.limit; i++) {
      expect((await throttle.attempt("Dana@Example.com", `198.51.100.${i}`)).allowed).toBe(true);
    }
    const refused = await throttle.attempt("dana@example.com ", "198.51.100.99");
    expect(refused).toEqual({ allowed: false, retryAfterMs: 90_000 });
    expect((await throttle.attempt("other@example.com", "198.51.100.99")).allowed).toBe(true);
    clock.advance(90_000);
    expect((await throttle.attempt("dana@example.com", "198.51.100.99")).allowed).toBe(true);
  });

  it("allows 30 attempts per address across accounts, and a refusal spends nothing", async () => {
    const clock = fakeClock();
    const throttle = new LoginThrottle(new MemoryRateLimiter(clock));
    for (let i = 0; i < LOGIN_LIMITS.perAddress.limit; i++) {
      expect((await throttle.attempt(`person${i}@example.com`, "203.0.113.5")).allowed).toBe(true);
    }
    expect((await throttle.attempt("fresh@example.com", "203.0.113.5")).allowed).toBe(false);
    // the refused attempt did not use up fresh@'s own allowance
    for (let i = 0; i < LOGIN_LIMITS.perEmail.limit; i++) {
      expect((await throttle.attempt("fresh@example.com", `192.0.2.${i}`)).allowed).toBe(true);
    }
  });
});

describe("sign-in attempts across dashboard instances", () => {
  it.runIf(inject("redisUrl"))("are counted once for all instances through Redis", async () => {
    const clock = fakeClock();
    const instances = [
      createLoginLimiter(inject("redisUrl"), clock),
      createLoginLimiter(inject("redisUrl"), clock),
    ];
    try {
      expect(await Promise.all(instances.map(({ connected }) => connected))).toEqual([true, true]);
      const [a, b] = instances.map(({ limiter }) => new LoginThrottle(limiter));
      // unique per run: the machine's Redis outlives a test run
      const email = `dana-${randomUUID()}@example.com`;
      const attempts = [];
      for (let i = 0; i < LOGIN_LIMITS.perEmail.limit; i++) {
        const throttle = i % 2 === 0 ? a : b;
        attempts.push((await throttle?.attempt(email, `198.51.100.${i}`))?.allowed);
      }
      expect(attempts).toEqual(Array(LOGIN_LIMITS.perEmail.limit).fill(true));
      // each instance alone has seen five: only the shared count refuses the eleventh
      expect((await a?.attempt(email, "198.51.100.99"))?.allowed).toBe(false);
      expect((await b?.attempt(email, "198.51.100.99"))?.allowed).toBe(false);
    } finally {
      for (const instance of instances) await instance.close();
    }
  });

  it("are counted per instance without Redis", async () => {
    const clock = fakeClock();
    const { limiter } = createLoginLimiter(null, clock);
    const throttle = new LoginThrottle(limiter);
    for (let i = 0; i < LOGIN_LIMITS.perEmail.limit; i++) {
      expect((await throttle.attempt("erin@example.com", `192.0.2.${i}`)).allowed).toBe(true);
    }
    expect((await throttle.attempt("erin@example.com", "192.0.2.99")).allowed).toBe(false);
  });
});
