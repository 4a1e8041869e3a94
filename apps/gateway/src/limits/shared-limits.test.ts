import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { within } from "../../../../test/support/fake-upstream.ts";
import {
  acquireTestRedis,
  findRedisServerBinary,
  NO_REDIS_SERVER_REASON,
  type OwnRedisServer,
  startOwnRedisServer,
} from "../../../../test/support/redis-server.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

/** Limits in Redis: shared by gateway instances, and what happens when Redis goes away. */
let t: TestDatabase;
const cleanups: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const chat = (url: string, secret: string, body: object = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({
      model: "deepseek-chst-1.0",
      messages: [{ role: "user", content: "hi" }],
      ...body,
    }),
  });

const redisTarget = await acquireTestRedis();
if (redisTarget) cleanups.push(redisTarget.release);

describe.skipIf(!redisTarget)(
  `two gateway instances on one Redis ${redisTarget ? "" : NO_REDIS_SERVER_REASON}`,
  () => {
    it("let exactly 5 of 7 simultaneous requests through at 5 per minute, between them", async () => {
      const metering = { redisUrl: redisTarget?.url, redisPrefix: `test:${randomBytes(6).toString("hex")}:` };
      const a = await startTestGateway({ db: t.db, metering });
      const b = await startTestGateway({ db: t.db, metering });
      cleanups.push(a.close, b.close);
      const { secret } = await createOrgWithKey(t.db, { tier: "free" });
      const responses = await Promise.all(
        Array.from({ length: 7 }, (_, i) => chat(i % 2 === 0 ? a.url : b.url, secret)),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(a.metering.store).toBe("redis");
    });

    it("share the response cache: one instance answers what the other stored", async () => {
      const metering = { redisUrl: redisTarget?.url, redisPrefix: `test:${randomBytes(6).toString("hex")}:` };
      const a = await startTestGateway({ db: t.db, metering });
      const b = await startTestGateway({ db: t.db, metering });
      cleanups.push(a.close, b.close);
      const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
      const before = a.metering.metered;
      const first = await chat(a.url, secret, { temperature: 0 });
      expect(first.headers.get("x-cache")).toBe("miss");
      // the request does not wait for the cache write; its meter does
      await a.metering.whenMetered(before + 1);
      const second = await chat(b.url, secret, { temperature: 0 });
      expect(second.headers.get("x-cache")).toBe("hit");
      const choices = async (response: Response) => (await jsonOf<{ choices: unknown[] }>(response)).choices;
      expect(await choices(second)).toEqual(await choices(first));
    });
  },
);

const binary = findRedisServerBinary();

describe.skipIf(!binary)(
  `a gateway whose Redis stops and starts again ${binary ? "" : NO_REDIS_SERVER_REASON}`,
  () => {
    let server: OwnRedisServer;
    beforeAll(async () => {
      server = await startOwnRedisServer(binary as string);
      cleanups.push(() => server.dispose());
    });

    it("falls back to memory (limited, never a 500), logs and counts it once, and returns to Redis", async () => {
      const clock = fakeClock(new Date());
      const prefix = "gw:";
      const gateway = await startTestGateway({
        db: t.db,
        clock,
        metering: { redisUrl: server.url, redisPrefix: prefix, redisRetryIntervalMs: 100 },
      });
      cleanups.push(gateway.close);
      const probe = new Redis(server.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 1,
        retryStrategy: () => 50,
      });
      probe.on("error", () => {});
      cleanups.push(async () => probe.disconnect());
      const metric = async (name: string) => {
        const text = await (await gateway.scrapeMetrics()).text();
        return Number(new RegExp(`^${name} (\\d+)$`, "m").exec(text)?.[1]);
      };
      const logCount = (pattern: RegExp) => gateway.logLines.filter((line) => pattern.test(line)).length;

      const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
      expect((await chat(gateway.url, secret)).status).toBe(200);
      await probe.connect();
      expect((await probe.keys(`${prefix}rl:*`)).length).toBeGreaterThan(0);

      const down = once(gateway.metering.events, "store");
      await server.stop();
      expect(await within(down, 5_000, "the gateway noticing Redis is gone")).toEqual(["down"]);
      const { secret: freeSecret } = await createOrgWithKey(t.db, { tier: "free" });
      const responses = await Promise.all(Array.from({ length: 7 }, () => chat(gateway.url, freeSecret)));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(await metric("dsc_rate_limiter_fallback_active")).toBe(1);
      // still a Redis store, fallen back: the overview shows both
      expect(await metric("dsc_rate_limiter_store_redis")).toBe(1);
      expect(await metric("dsc_rate_limiter_fallbacks_total")).toBe(1);
      expect(await metric("dsc_rate_limiter_fallback_checks_total")).toBeGreaterThanOrEqual(7);
      expect(logCount(/Redis is unreachable/)).toBe(1);

      const up = once(gateway.metering.events, "store");
      await server.start();
      expect(await within(up, 10_000, "the gateway reconnecting to Redis")).toEqual(["up"]);
      clock.advance(100);
      const { secret: laterSecret } = await createOrgWithKey(t.db, { tier: "pro" });
      expect((await chat(gateway.url, laterSecret)).status).toBe(200);
      expect(await metric("dsc_rate_limiter_fallback_active")).toBe(0);
      expect(logCount(/Redis is back/)).toBe(1);
      // the server restarted empty: the keys there now are the new request's
      expect((await probe.keys(`${prefix}rl:*`)).length).toBeGreaterThan(0);
    });
  },
);
