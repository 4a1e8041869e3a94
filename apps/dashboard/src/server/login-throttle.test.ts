import { randomUUID } from "node:crypto";
import { createMemoryRateLimiter, type RateLimiter } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { acquireTestRedis, NO_REDIS_SERVER_REASON } from "../../../../test/support/redis-server.ts";
import { createLoginLimiter, LOGIN_LIMITS, LoginThrottle } from "./login-throttle.ts";

/** Fails `times` sign-ins (spends attempts without refunding them); returns how many were let through. */
async function fail(throttle: LoginThrottle, email: string, address: string, times: number) {
  let allowed = 0;
  for (let i = 0; i < times; i++) if ((await throttle.attempt(email, address)).allowed) allowed++;
  return allowed;
}

/** The behaviour every backend must show, memory and Redis alike. */
type Backend = { limiter: RateLimiter; clock: ReturnType<typeof fakeClock>; close?: () => Promise<void> };

function behavesAsALoginThrottle(name: string, open: () => Promise<Backend | null>) {
  describe(name, () => {
    // unique per test: Redis outlives a test run
    const account = () => `dana-${randomUUID()}@example.com`;
    const address = () =>
      `198.51.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}-${randomUUID().slice(0, 8)}`;

    it("lets 5 failures through at once, then one per 12 s, then one per 3 minutes: a delay, never a lock", async (context) => {
      const backend = await open();
      if (!backend) return context.skip(NO_REDIS_SERVER_REASON);
      try {
        const throttle = new LoginThrottle(backend.limiter);
        const [email, from] = [account(), address()];
        expect(await fail(throttle, email, from, 5)).toBe(5);
        expect(await throttle.attempt(email, from)).toEqual({ allowed: false, retryAfterMs: 12_000 });
        // a refused attempt spends nothing: the wait does not grow by asking
        expect(await throttle.attempt(email, from)).toEqual({ allowed: false, retryAfterMs: 12_000 });
        // going on at the pace allowed, until the hour's 20 are spent (plus what drained meanwhile)
        let paced = 0;
        let refused = await throttle.attempt(email, from);
        while (paced < 30) {
          backend.clock.advance(12_000);
          refused = await throttle.attempt(email, from);
          if (!refused.allowed) break;
          paced++;
        }
        expect(paced).toBe(16); // 15 more in the hour, and one more that drained meanwhile
        // now the hourly bucket decides, and the wait has grown
        expect(refused.allowed === false && refused.retryAfterMs).toBeGreaterThan(60_000);
        backend.clock.advance(180_000);
        expect((await throttle.attempt(email, from)).allowed).toBe(true);
      } finally {
        await backend.close?.();
      }
    });

    it("keeps the account open to other addresses while one address is refused", async (context) => {
      const backend = await open();
      if (!backend) return context.skip(NO_REDIS_SERVER_REASON);
      try {
        const throttle = new LoginThrottle(backend.limiter);
        const email = account();
        const attacker = address();
        expect(await fail(throttle, email, attacker, 50)).toBe(5);
        // attackers on many addresses too: each is counted on its own
        for (let i = 0; i < 10; i++) await fail(throttle, email, address(), 6);
        expect((await throttle.attempt(email, attacker)).allowed).toBe(false);
        expect((await throttle.attempt(email.toUpperCase(), attacker)).allowed).toBe(false);
        expect((await throttle.attempt(email, address())).allowed).toBe(true);
      } finally {
        await backend.close?.();
      }
    });

    it("refuses an address that fails on many accounts, for every account", async (context) => {
      const backend = await open();
      if (!backend) return context.skip(NO_REDIS_SERVER_REASON);
      try {
        const throttle = new LoginThrottle(backend.limiter);
        const from = address();
        const budget = LOGIN_LIMITS.perAddress[0]?.limit ?? 0;
        for (let i = 0; i < budget; i++) expect(await fail(throttle, account(), from, 1)).toBe(1);
        const refused = await throttle.attempt(account(), from);
        expect(refused).toEqual({ allowed: false, retryAfterMs: 30_000 });
        // the same accounts from elsewhere are not affected
        expect((await throttle.attempt(account(), address())).allowed).toBe(true);
      } finally {
        await backend.close?.();
      }
    });

    it("counts every address of one IPv6 /64 as one address", async (context) => {
      const backend = await open();
      if (!backend) return context.skip(NO_REDIS_SERVER_REASON);
      try {
        const throttle = new LoginThrottle(backend.limiter);
        const email = account();
        const prefix = `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`;
        // a fresh host address of the same /64 for every guess
        for (let host = 1; host <= 5; host++)
          expect(await fail(throttle, email, `${prefix}::${host}`, 1)).toBe(1);
        expect((await throttle.attempt(email, `${prefix}:1:2:3:4`)).allowed).toBe(false);
        expect((await throttle.attempt(email, `${prefix.replace(/:[0-9a-f]+$/, ":ffff")}::1`)).allowed).toBe(
          true,
        );
      } finally {
        await backend.close?.();
      }
    });

    it("gives a right password's attempt back: it is no failure", async (context) => {
      const backend = await open();
      if (!backend) return context.skip(NO_REDIS_SERVER_REASON);
      try {
        const throttle = new LoginThrottle(backend.limiter);
        const [email, from] = [account(), address()];
        for (let i = 0; i < 25; i++) {
          const attempt = await throttle.attempt(email, from);
          expect(attempt.allowed).toBe(true);
          if (attempt.allowed) await attempt.refund();
        }
        expect(await fail(throttle, email, from, 6)).toBe(5);
      } finally {
        await backend.close?.();
      }
    });
  });
}

behavesAsALoginThrottle("sign-in throttling in memory", async () => {
  const clock = fakeClock();
  return { limiter: createMemoryRateLimiter({ clock }), clock };
});

let redis: Awaited<ReturnType<typeof acquireTestRedis>> = null;
beforeAll(async () => {
  redis = await acquireTestRedis();
});
afterAll(async () => {
  await redis?.release();
});

behavesAsALoginThrottle("sign-in throttling in Redis", async () => {
  if (!redis) return null;
  const clock = fakeClock();
  const { limiter, connected, close } = createLoginLimiter(redis.url, clock);
  expect(await connected).toBe(true);
  return { limiter, clock, close };
});

describe("sign-in attempts across dashboard instances", () => {
  it("are counted once for all instances through Redis", async (context) => {
    if (!redis) return context.skip(NO_REDIS_SERVER_REASON);
    const clock = fakeClock();
    const instances = [createLoginLimiter(redis.url, clock), createLoginLimiter(redis.url, clock)];
    try {
      expect(await Promise.all(instances.map(({ connected }) => connected))).toEqual([true, true]);
      const [a, b] = instances.map(({ limiter }) => new LoginThrottle(limiter)) as [
        LoginThrottle,
        LoginThrottle,
      ];
      const email = `dana-${randomUUID()}@example.com`;
      const from = `203.0.113.${randomUUID()}`;
      const attempts = [];
      for (let i = 0; i < 5; i++) attempts.push((await (i % 2 === 0 ? a : b).attempt(email, from)).allowed);
      expect(attempts).toEqual([true, true, true, true, true]);
      // each instance alone has seen fewer than 5: only the shared count refuses the sixth
      expect((await a.attempt(email, from)).allowed).toBe(false);
      expect((await b.attempt(email, from)).allowed).toBe(false);
    } finally {
      for (const instance of instances) await instance.close();
    }
  });

  it("are counted per instance without Redis", async () => {
    const clock = fakeClock();
    const { limiter } = createLoginLimiter(null, clock);
    const throttle = new LoginThrottle(limiter);
    expect(await fail(throttle, "erin@example.com", "192.0.2.1", 6)).toBe(5);
  });
});
