import { randomBytes } from "node:crypto";
import type { ChatCompletionRequest } from "@dsc/api-client";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { acquireTestRedis, NO_REDIS_SERVER_REASON } from "../../../../test/support/redis-server.ts";
import { createMemoryResponseCache } from "./memory-response-cache.ts";
import { purgeCacheForSubject } from "./purge-cache-for-subject.ts";
import { createRedisResponseCache } from "./redis-response-cache.ts";
import { isDeterministicRequest, type ResponseCache, responseCacheKey } from "./response-cache.ts";

const base: ChatCompletionRequest = {
  model: "m",
  messages: [{ role: "user", content: "hi" }],
  temperature: 0,
};
const keyOf = (request: ChatCompletionRequest, organizationId = "org_a") =>
  responseCacheKey({ organizationId, modelId: request.model, request });

describe("responseCacheKey", () => {
  it("is a SHA-256 that ignores field order and delivery options", () => {
    const key = keyOf(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const reordered = { temperature: 0, messages: [{ content: "hi", role: "user" }], model: "m" };
    expect(keyOf(reordered as ChatCompletionRequest)).toBe(key);
    expect(keyOf({ ...base, stream: false, stream_options: null })).toBe(key);
  });

  it("differs for every organization, model, message and output-affecting parameter", () => {
    const variants: ChatCompletionRequest[] = [
      { ...base, model: "other" },
      { ...base, messages: [{ role: "user", content: "hi!" }] },
      { ...base, messages: [{ role: "system", content: "x" }, ...base.messages] },
      { ...base, temperature: 0.5 },
      { ...base, max_tokens: 5 },
      { ...base, top_p: 0.5 },
      { ...base, stop: ["."] },
      { ...base, seed: 1 },
      { ...base, presence_penalty: 1 },
      { ...base, response_format: { type: "json_object" } },
      { ...base, tools: [{ type: "function", function: { name: "f" } }] },
      { ...base, tool_choice: "none" },
      { ...base, user: "end-user-1" },
      { ...base, logit_bias: { "1": 5 } } as ChatCompletionRequest, // unknown to us, passed upstream
    ];
    const keys = new Set([keyOf(base), keyOf(base, "org_b"), ...variants.map((v) => keyOf(v))]);
    expect(keys.size).toBe(variants.length + 2);
  });

  it("marks temperature 0, one choice and no stream as deterministic", () => {
    expect(isDeterministicRequest(base)).toBe(true);
    expect(isDeterministicRequest({ ...base, n: 1 })).toBe(true);
    expect(isDeterministicRequest({ ...base, temperature: undefined })).toBe(false);
    expect(isDeterministicRequest({ ...base, temperature: 0.2 })).toBe(false);
    expect(isDeterministicRequest({ ...base, n: 2 })).toBe(false);
    expect(isDeterministicRequest({ ...base, stream: true })).toBe(false);
  });
});

const redisTarget = await acquireTestRedis();
const redisClients: Redis[] = [];
afterAll(async () => {
  for (const client of redisClients) client.disconnect();
  await redisTarget?.release();
});

function describeCacheStore(
  name: string,
  make: (clock: ReturnType<typeof fakeClock>) => ResponseCache | null,
  skipReason = "",
) {
  describe.skipIf(make(fakeClock()) === null)(`${name} ${skipReason}`, () => {
    const store = (clock = fakeClock()) => make(clock) as ResponseCache;
    const ref = (organizationId: string, endUserId: string | null = null) => ({
      organizationId,
      endUserId,
      hash: randomBytes(32).toString("hex"),
    });

    it("answers a stored entry, and a miss for anything else", async () => {
      const cache = store();
      const entry = ref("org_1");
      expect(await cache.get(entry)).toBeNull();
      await cache.set(entry, '{"a":1}', 60_000);
      expect(await cache.get(entry)).toBe('{"a":1}');
      expect(await cache.get({ ...entry, organizationId: "org_2" })).toBeNull();
      expect(cache.stats).toMatchObject({ hits: 1, misses: 2, stores: 1, errors: 0 });
    });

    it("purges an end user's entries, or all of an organization's", async () => {
      const cache = store();
      const org = `org_${randomBytes(4).toString("hex")}`;
      const [alice, bob, plain, other] = [ref(org, "alice"), ref(org, "bob"), ref(org), ref("org_other")];
      for (const entry of [alice, bob, plain, other]) await cache.set(entry, "x", 60_000);
      expect(await purgeCacheForSubject({ cache }, { organizationId: org, endUserId: "alice" })).toBe(1);
      expect(await cache.get(alice)).toBeNull();
      expect(await cache.get(bob)).toBe("x");
      expect(await purgeCacheForSubject({ cache }, { organizationId: org })).toBe(2);
      expect([await cache.get(bob), await cache.get(plain)]).toEqual([null, null]);
      expect(await cache.get(other)).toBe("x");
    });
  });
}

describeCacheStore("MemoryResponseCache", (clock) => createMemoryResponseCache({ clock }));
describeCacheStore(
  "RedisResponseCache",
  () => {
    if (!redisTarget) return null;
    const redis = new Redis(redisTarget.url, { maxRetriesPerRequest: 1 });
    redisClients.push(redis);
    return createRedisResponseCache({ redis, prefix: `test:${randomBytes(6).toString("hex")}:` });
  },
  redisTarget ? "" : NO_REDIS_SERVER_REASON,
);

describe("MemoryResponseCache", () => {
  it("forgets entries after their TTL", async () => {
    const clock = fakeClock();
    const cache = createMemoryResponseCache({ clock });
    const entry = { organizationId: "org_1", endUserId: null, hash: "h" };
    await cache.set(entry, "x", 1_000);
    clock.advance(999);
    expect(await cache.get(entry)).toBe("x");
    clock.advance(2);
    expect(await cache.get(entry)).toBeNull();
  });

  it("stays within its bounds, dropping the least recently used", async () => {
    const cache = createMemoryResponseCache({ clock: fakeClock(), maxEntries: 2 });
    const refs = ["a", "b", "c"].map((hash) => ({ organizationId: "org_1", endUserId: null, hash }));
    for (const entry of refs) await cache.set(entry, hash(entry), 60_000);
    expect(await cache.get(refs[0] as (typeof refs)[0])).toBeNull();
    expect(await cache.get(refs[2] as (typeof refs)[0])).toBe("c");
    // the purge index forgot the evicted entry too
    expect(await cache.purge({ organizationId: "org_1" })).toBe(2);
  });
});

function hash(entry: { hash: string }) {
  return entry.hash;
}

describe("RedisResponseCache when Redis is unreachable", () => {
  it("answers misses and counts errors instead of failing", async () => {
    const redis = new Redis("redis://127.0.0.1:1", {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on("error", () => {});
    const errors: unknown[] = [];
    const cache = createRedisResponseCache({ redis, onError: (error) => errors.push(error) });
    const entry = { organizationId: "org_1", endUserId: null, hash: "h" };
    await cache.set(entry, "x", 1_000);
    expect(await cache.get(entry)).toBeNull();
    expect(cache.stats).toMatchObject({ hits: 0, misses: 1, errors: 2 });
    expect(errors).toHaveLength(2);
    await expect(cache.purge({ organizationId: "org_1" })).rejects.toThrow();
    redis.disconnect();
  });
});
