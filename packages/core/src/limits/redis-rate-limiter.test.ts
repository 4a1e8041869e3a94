import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import {
  acquireTestRedis,
  findRedisServerBinary,
  NO_REDIS_SERVER_REASON,
  startOwnRedisServer,
} from "../../../../test/support/redis-server.ts";
import { describeRateLimiterContract } from "./rate-limiter.contract.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import { createRedisRateLimiter } from "./redis-rate-limiter.ts";

/**
 * The Redis store against a real server: the machine's (REDIS_URL) or one this file starts.
 * Every limiter gets a prefix of its own, so tests never share keys.
 */
const redisTarget = await acquireTestRedis();
const clients: Redis[] = [];

function connect(): Redis {
  const client = new Redis(redisTarget?.url ?? "", { lazyConnect: false, maxRetriesPerRequest: 1 });
  clients.push(client);
  return client;
}

const uniquePrefix = () => `test:${randomBytes(6).toString("hex")}:`;

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redisTarget?.release();
});

describe.skipIf(!redisTarget)(`RedisRateLimiter ${redisTarget ? "" : NO_REDIS_SERVER_REASON}`, () => {
  let redis: Redis;
  beforeAll(() => {
    redis = connect();
  });

  describeRateLimiterContract("RedisRateLimiter", async (clock) =>
    createRedisRateLimiter({ redis, clock, prefix: uniquePrefix() }),
  );

  it("decides a check in one round trip (one EVALSHA)", async () => {
    const limiter = createRedisRateLimiter({ redis, clock: fakeClock(), prefix: uniquePrefix() });
    const rule = { limit: 5, windowMs: 60_000 };
    await limiter.check({ charges: [{ key: "warm", rule, cost: 1 }] });
    const sent = vi.spyOn(redis, "sendCommand");
    await limiter.check({
      charges: [
        { key: "a", rule, cost: 1 },
        { key: "b", rule, cost: 1 },
      ],
      quota: null,
    });
    expect(sent.mock.calls.map(([command]) => command.name)).toEqual(["evalsha"]);
    sent.mockRestore();
  });

  it("decides the checks made together as one script, in order, each seeing the ones before", async () => {
    const prefix = uniquePrefix();
    const limiter = createRedisRateLimiter({ redis, clock: fakeClock(), prefix });
    const rule = { limit: 5, windowMs: 60_000 };
    await limiter.seedQuota("quota:{org_b}:2026-06", 0, 600_000);
    const sent = vi.spyOn(redis, "sendCommand");
    const verdicts = await Promise.all([
      ...Array.from({ length: 7 }, () => limiter.check({ charges: [{ key: "rpm:{org_a}", rule, cost: 1 }] })),
      limiter.check({
        charges: [{ key: "rpm:{org_b}", rule, cost: 2 }],
        quota: { key: "quota:{org_b}:2026-06", limit: 1_000, reserve: 300 },
      }),
      limiter.check({
        charges: [{ key: "rpm:{org_b}", rule, cost: 1 }],
        quota: { key: "quota:{org_b}:2026-07", limit: 9 },
      }),
      limiter.check({
        charges: [{ key: "rpm:{org_b}", rule, cost: 2 }],
        quota: { key: "quota:{org_b}:2026-06", limit: 1_000, reserve: 300 },
      }),
    ]);
    expect(sent.mock.calls.map(([command]) => command.name)).toEqual(["evalsha"]);
    sent.mockRestore();
    const orgA = verdicts.slice(0, 7);
    expect(orgA.map((v) => v.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(orgA.map((v) => v.decisions[0]?.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
    expect(orgA[5]?.decisions[0]?.retryAfterMs).toBe(12_000);
    const [first, unseeded, second] = verdicts.slice(7);
    expect(first).toMatchObject({ allowed: true, quota: { state: "ok", used: 0 } });
    expect(first?.decisions[0]?.remaining).toBe(3);
    expect(unseeded).toEqual({ allowed: false, decisions: [], quota: { state: "unseeded" } });
    expect(second).toMatchObject({ allowed: true, quota: { state: "ok", used: 300 } });
    expect(second?.decisions[0]?.remaining).toBe(1);
    expect(await redis.get(`${prefix}quota:{org_b}:2026-06`)).toBe("600");
  });

  it("sends the corrections of requests settling together as one script, merged per key", async () => {
    const prefix = uniquePrefix();
    const limiter = createRedisRateLimiter({ redis, clock: fakeClock(), prefix });
    const rule = { limit: 1_000, windowMs: 60_000 };
    const month = { a: "quota:{org_a}:2026-06", b: "quota:{org_b}:2026-06" };
    await limiter.seedQuota(month.a, 0, 600_000);
    await limiter.seedQuota(month.b, 0, 600_000);
    const reserve = (org: string) =>
      limiter.check({ charges: [{ key: `tpm:{${org}}`, rule, cost: 500 }], quota: null });
    await reserve("org_a");
    await reserve("org_b");
    const sent = vi.spyOn(redis, "sendCommand");
    // three calls of org_a used less than they reserved, one of org_b more
    await Promise.all([
      limiter.adjust([{ key: "tpm:{org_a}", rule, cost: -100 }], { key: month.a, delta: 40 }),
      limiter.adjust([{ key: "tpm:{org_a}", rule, cost: -150 }], { key: month.a, delta: 60 }),
      limiter.adjust([{ key: "tpm:{org_a}", rule, cost: -50 }]),
      limiter.adjust([{ key: "tpm:{org_b}", rule, cost: 300 }], { key: month.b, delta: 800 }),
    ]);
    expect(sent.mock.calls.map(([command]) => command.name)).toEqual(["evalsha"]);
    sent.mockRestore();
    const left = async (org: string) =>
      (await limiter.check({ charges: [{ key: `tpm:{${org}}`, rule, cost: 0 }] })).decisions[0]?.remaining;
    expect(await left("org_a")).toBe(800);
    expect(await left("org_b")).toBe(200);
    expect(await redis.get(`${prefix}${month.a}`)).toBe("100");
    expect(await redis.get(`${prefix}${month.b}`)).toBe("800");
  });

  it("splits a turn's checks into scripts of at most 64, so that none holds the server long", async () => {
    const limiter = createRedisRateLimiter({ redis, clock: fakeClock(), prefix: uniquePrefix() });
    const rule = { limit: 1_000, windowMs: 60_000 };
    const sent = vi.spyOn(redis, "sendCommand");
    const verdicts = await Promise.all(
      Array.from({ length: 130 }, (_, i) =>
        limiter.check({ charges: [{ key: `rpm:{org_${i % 3}}`, rule, cost: 1 }] }),
      ),
    );
    expect(sent.mock.calls.map(([command]) => command.name)).toEqual(["evalsha", "evalsha", "evalsha"]);
    sent.mockRestore();
    expect(verdicts.every((verdict) => verdict.allowed)).toBe(true);
    // the last check of org_2 (i = 128) is its organization's 43rd, across the three scripts
    expect(verdicts[128]?.decisions[0]?.remaining).toBe(1_000 - 43);
  });

  it("namespaces its keys and lets them expire when the bucket has drained", async () => {
    const prefix = uniquePrefix();
    const limiter = createRedisRateLimiter({ redis, clock: fakeClock(), prefix });
    await limiter.check({
      charges: [{ key: "rl:{org_1}:req", rule: { limit: 5, windowMs: 60_000 }, cost: 2 }],
    });
    await limiter.seedQuota("quota:{org_1}:2026-01", 10, 600_000);
    expect((await redis.keys(`${prefix}*`)).sort()).toEqual([
      `${prefix}quota:{org_1}:2026-01`,
      `${prefix}rl:{org_1}:req`,
    ]);
    const bucketTtl = await redis.pttl(`${prefix}rl:{org_1}:req`);
    expect(bucketTtl).toBeGreaterThan(23_000); // 2 of 5 per minute drain in 24 s
    expect(bucketTtl).toBeLessThanOrEqual(24_000);
    const quotaTtl = await redis.pttl(`${prefix}quota:{org_1}:2026-01`);
    expect(quotaTtl).toBeGreaterThan(590_000);
    await limiter.adjust([], { key: "quota:{org_1}:2026-01", delta: 5 });
    expect(await redis.get(`${prefix}quota:{org_1}:2026-01`)).toBe("15");
    expect(await redis.pttl(`${prefix}quota:{org_1}:2026-01`)).toBeGreaterThan(590_000);
  });

  it("is exact across two instances: 5 of 7 at once pass at 5 per minute", async () => {
    const prefix = uniquePrefix();
    const clock = fakeClock();
    const instances = [
      createRedisRateLimiter({ redis: connect(), clock, prefix }),
      createRedisRateLimiter({ redis: connect(), clock, prefix }),
    ];
    const rule = { limit: 5, windowMs: 60_000 };
    const verdicts = await Promise.all(
      Array.from({ length: 7 }, (_, i) =>
        (instances[i % 2] as RateLimiter).check({ charges: [{ key: "org", rule, cost: 1 }] }),
      ),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(5);
  });
});

const binary = findRedisServerBinary();

// SCRIPT FLUSH affects every client of a server, so this one runs on a server of its own
describe.skipIf(!binary)(
  `RedisRateLimiter on a server it has to teach ${binary ? "" : NO_REDIS_SERVER_REASON}`,
  () => {
    it("loads its script again when the server has forgotten it (NOSCRIPT → EVAL)", async () => {
      const server = await startOwnRedisServer(binary as string);
      const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
      try {
        const limiter = createRedisRateLimiter({ redis, clock: fakeClock(), prefix: uniquePrefix() });
        const rule = { limit: 2, windowMs: 60_000 };
        expect((await limiter.check({ charges: [{ key: "k", rule, cost: 1 }] })).allowed).toBe(true);
        await redis.script("FLUSH");
        const sent = vi.spyOn(redis, "sendCommand");
        expect((await limiter.check({ charges: [{ key: "k", rule, cost: 1 }] })).allowed).toBe(true);
        expect(sent.mock.calls.map(([command]) => command.name)).toEqual(["evalsha", "eval"]);
        sent.mockRestore();
        expect((await limiter.check({ charges: [{ key: "k", rule, cost: 1 }] })).allowed).toBe(false);
      } finally {
        redis.disconnect();
        await server.dispose();
      }
    });
  },
);
