import { MemoryRateLimiter } from "@dsc/core";
import { describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { LOGIN_LIMITS, LoginThrottle } from "./login-throttle.ts";

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
