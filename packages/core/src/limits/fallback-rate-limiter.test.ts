import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { within } from "../../../../test/support/fake-upstream.ts";
import {
  findRedisServerBinary,
  NO_REDIS_SERVER_REASON,
  type OwnRedisServer,
  startOwnRedisServer,
} from "../../../../test/support/redis-server.ts";
import { createFallbackRateLimiter, type LimiterBackend } from "./fallback-rate-limiter.ts";
import { createMemoryRateLimiter } from "./memory-rate-limiter.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import { createRedisConnection, waitUntilConnected } from "./redis-connection.ts";
import { createRedisRateLimiter } from "./redis-rate-limiter.ts";

const rule = { limit: 5, windowMs: 60_000 };
const charge = (key = "org") => ({ charges: [{ key, rule, cost: 1 }] });

/** A primary whose failures the test switches on and off. */
function switchablePrimary(clock: ReturnType<typeof fakeClock>) {
  const inner = createMemoryRateLimiter({ clock });
  const state = { isFailing: false, calls: 0 };
  const fail = async () => {
    throw new Error("connection lost");
  };
  const limiter: RateLimiter = {
    check: (c) => {
      state.calls += 1;
      return state.isFailing ? fail() : inner.check(c);
    },
    adjust: (c, q) => (state.isFailing ? fail() : inner.adjust(c, q)),
    seedQuota: (k, u, ttl) => (state.isFailing ? fail() : inner.seedQuota(k, u, ttl)),
  };
  return { limiter, state };
}

describe("FallbackRateLimiter", () => {
  it("falls back on a failure, never throws, logs each transition once and comes back", async () => {
    const clock = fakeClock();
    const primary = switchablePrimary(clock);
    const transitions: LimiterBackend[] = [];
    const limiter = createFallbackRateLimiter({
      primary: primary.limiter,
      fallback: createMemoryRateLimiter({ clock }),
      clock,
      isPrimaryConnected: () => true,
      retryIntervalMs: 1_000,
      onTransition: (backend) => transitions.push(backend),
    });
    expect((await limiter.check(charge())).allowed).toBe(true);
    primary.state.isFailing = true;
    for (let i = 0; i < 3; i++) await limiter.check(charge());
    expect(transitions).toEqual(["fallback"]);
    expect(limiter.status).toEqual({ backend: "fallback", fallbacks: 1, fallbackChecks: 3 });
    // within the retry interval the primary is left alone
    const calls = primary.state.calls;
    await limiter.check(charge());
    expect(primary.state.calls).toBe(calls);

    primary.state.isFailing = false;
    clock.advance(1_000);
    await limiter.check(charge());
    expect(transitions).toEqual(["fallback", "primary"]);
    expect(limiter.status.backend).toBe("primary");
  });

  it("is never fully open: the fallback limits on its own", async () => {
    const clock = fakeClock();
    const primary = switchablePrimary(clock);
    primary.state.isFailing = true;
    const limiter = createFallbackRateLimiter({
      primary: primary.limiter,
      fallback: createMemoryRateLimiter({ clock }),
      clock,
      isPrimaryConnected: () => true,
    });
    const verdicts = await Promise.all(Array.from({ length: 7 }, () => limiter.check(charge())));
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
  });

  it("skips a primary whose connection is known to be down", async () => {
    const clock = fakeClock();
    const primary = switchablePrimary(clock);
    let isConnected = false;
    const limiter = createFallbackRateLimiter({
      primary: primary.limiter,
      fallback: createMemoryRateLimiter({ clock }),
      clock,
      isPrimaryConnected: () => isConnected,
    });
    await limiter.check(charge());
    await limiter.adjust([{ key: "org", rule, cost: -1 }]);
    expect(primary.state.calls).toBe(0);
    expect(limiter.status.backend).toBe("fallback");
    isConnected = true;
    clock.advance(1_000);
    await limiter.check(charge());
    expect(primary.state.calls).toBe(1);
    expect(limiter.status.backend).toBe("primary");
  });
});

const binary = findRedisServerBinary();

describe.skipIf(!binary)(
  `FallbackRateLimiter over a Redis this test stops and starts ${binary ? "" : NO_REDIS_SERVER_REASON}`,
  () => {
    let server: OwnRedisServer;
    beforeAll(async () => {
      server = await startOwnRedisServer(binary as string);
    });
    afterAll(() => server?.dispose());

    it("goes to memory when Redis stops, limits there, and returns when it is back", async () => {
      const clock = fakeClock();
      const redis = createRedisConnection(server.url, { maxReconnectDelayMs: 100 });
      try {
        expect(await waitUntilConnected(redis, 5_000)).toBe(true);
        const transitions: LimiterBackend[] = [];
        const limiter = createFallbackRateLimiter({
          primary: createRedisRateLimiter({ redis, clock, prefix: "t:" }),
          fallback: createMemoryRateLimiter({ clock }),
          clock,
          isPrimaryConnected: () => redis.status === "ready",
          onTransition: (backend) => transitions.push(backend),
        });
        expect((await limiter.check(charge("before"))).allowed).toBe(true);
        expect(await redis.exists("t:before")).toBe(1);

        await server.stop();
        const verdicts = await Promise.all(Array.from({ length: 7 }, () => limiter.check(charge("during"))));
        expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
        expect(limiter.status).toMatchObject({ backend: "fallback", fallbacks: 1, fallbackChecks: 7 });
        expect(transitions).toEqual(["fallback"]);

        const ready = once(redis, "ready");
        await server.start();
        await within(ready, 10_000, "reconnection to Redis");
        clock.advance(1_000);
        expect((await limiter.check(charge("after"))).allowed).toBe(true);
        expect(await redis.exists("t:after")).toBe(1);
        expect(transitions).toEqual(["fallback", "primary"]);
      } finally {
        redis.disconnect();
      }
    });
  },
);
