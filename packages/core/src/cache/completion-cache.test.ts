import { randomBytes } from "node:crypto";
import type { ChatCompletion, ChatCompletionRequest } from "@dsc/api-client";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { acquireTestRedis, NO_REDIS_SERVER_REASON } from "../../../../test/support/redis-server.ts";
import { recordErasureStarted } from "../chat-logs/erasure-tombstones.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import {
  type CompletionCache,
  completionCacheRef,
  createCompletionCache,
  findCachedCompletion,
  storeCompletion,
} from "./completion-cache.ts";
import { createMemoryResponseCache } from "./memory-response-cache.ts";
import { createRedisResponseCache } from "./redis-response-cache.ts";
import type { ResponseCache } from "./response-cache.ts";

/**
 * Cached answers at rest: sealed under their subject's data key in a real Redis and in memory,
 * so that neither holds the conversation's text, and an erasure that destroys the key leaves
 * them unreadable.
 */
const keyring = parseMasterKeyring(`1:${Buffer.alloc(32, 9).toString("base64")}`);
const clock = fakeClock();
let t: TestDatabase;
const redisTarget = await acquireTestRedis();
const redisClients: Redis[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  for (const client of redisClients) client.disconnect();
  await redisTarget?.release();
});

async function organization(): Promise<string> {
  const suffix = randomBytes(5).toString("hex");
  const org = await t.db.organization.create({
    data: { id: `org_cache_${suffix}`, name: `Cache ${suffix}`, tierId: "tier_free" },
  });
  return org.id;
}

function conversation(organizationId: string, user?: string) {
  const secret = `prompt-${randomBytes(6).toString("hex")}`;
  const request: ChatCompletionRequest = {
    model: "m",
    messages: [{ role: "user", content: `Repeat ${secret}` }],
    temperature: 0,
    ...(user ? { user } : {}),
  };
  const completion: ChatCompletion = {
    id: "chatcmpl-first",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: `The answer to ${secret} is forty-two.` },
        finish_reason: "stop",
      },
    ],
  };
  const ref = completionCacheRef({ organizationId, modelId: "m", request });
  if (!ref) throw new Error("the request is deterministic");
  return { secret, ref, completion };
}

function describeSealedStore(
  name: string,
  make: () => { cache: ResponseCache; raw: (hash: string) => Promise<string[]> } | null,
  skipReason = "",
) {
  describe.skipIf(make() === null)(`${name} ${skipReason}`, () => {
    const sealedCache = () => {
      const store = make() as NonNullable<ReturnType<typeof make>>;
      const completionCache = createCompletionCache(
        { db: t.db, clock, keyring },
        { cache: store.cache, ttlMs: 60_000 },
      );
      return { ...store, completionCache };
    };
    const find = (completionCache: CompletionCache, ref: Parameters<typeof findCachedCompletion>[1]) =>
      findCachedCompletion({ ...completionCache, clock }, ref);

    it("keeps neither the prompt nor the answer in plain text, and still answers the same completion", async () => {
      const { completionCache, raw } = sealedCache();
      const organizationId = await organization();
      for (const user of [undefined, "end-user-1"]) {
        const { secret, ref, completion } = conversation(organizationId, user);
        await storeCompletion(completionCache, ref, completion, clock.now());
        const stored = await raw(ref.hash);
        expect(stored).toHaveLength(1);
        expect(stored[0]).not.toContain(secret);
        expect(stored[0]).not.toContain("forty-two");
        expect(stored[0]).not.toContain("assistant");
        const hit = await find(completionCache, ref);
        expect(hit?.choices).toEqual(completion.choices);
        expect(hit?.id).not.toBe(completion.id);
      }
      expect(completionCache.cache.stats).toMatchObject({ hits: 2, errors: 0 });
    });

    it("cannot open an entry once its data key is destroyed: a miss, counted as an error", async () => {
      const { completionCache, cache } = sealedCache();
      const organizationId = await organization();
      const kept = conversation(organizationId, "keeps-their-key");
      const erased = conversation(organizationId, "is-erased");
      for (const { ref, completion } of [kept, erased])
        await storeCompletion(completionCache, ref, completion, clock.now());

      await t.db.dataKey.deleteMany({ where: { organizationId, endUserId: "is-erased" } });
      // another gateway, or this one once its key cache forgot: only the database's keys exist
      const afterErasure = createCompletionCache({ db: t.db, clock, keyring }, { cache, ttlMs: 60_000 });
      expect(await find(afterErasure, erased.ref)).toBeNull();
      expect(cache.stats).toMatchObject({ hits: 0, misses: 1, errors: 1 });
      expect((await find(afterErasure, kept.ref))?.choices).toEqual(kept.completion.choices);
    });

    it("keeps no answer, and makes no key, for a request made before its end user's erasure started", async () => {
      const { completionCache, raw } = sealedCache();
      const organizationId = await organization();
      const requestedAt = clock.now();
      // the answer comes back after the erasure started and destroyed the end user's key
      await recordErasureStarted(
        t.db,
        { type: "END_USER", organizationId, id: "leaving" },
        new Date(requestedAt.getTime() + 1_000),
      );
      const late = conversation(organizationId, "leaving");
      await storeCompletion(completionCache, late.ref, late.completion, requestedAt);
      expect(await raw(late.ref.hash)).toEqual([]);
      expect(await t.db.dataKey.count({ where: { organizationId, endUserId: "leaving" } })).toBe(0);
      expect(completionCache.cache.stats.errors).toBe(0);

      // their requests made after the start are new traffic, cached as any
      const fresh = conversation(organizationId, "leaving");
      await storeCompletion(
        completionCache,
        fresh.ref,
        fresh.completion,
        new Date(requestedAt.getTime() + 2_000),
      );
      expect(await raw(fresh.ref.hash)).toHaveLength(1);
      // another end user of the organization is cached as before
      const other = conversation(organizationId, "staying");
      await storeCompletion(completionCache, other.ref, other.completion, requestedAt);
      expect(await raw(other.ref.hash)).toHaveLength(1);
    });

    it("does not open a value moved to another entry", async () => {
      const { completionCache, cache } = sealedCache();
      const organizationId = await organization();
      const first = conversation(organizationId);
      const second = conversation(organizationId);
      await storeCompletion(completionCache, first.ref, first.completion, clock.now());
      const value = await cache.get(first.ref);
      await cache.set(second.ref, value as string, 60_000);
      expect(await find(completionCache, second.ref)).toBeNull();
      expect(cache.stats.errors).toBe(1);
    });
  });
}

describeSealedStore("sealed in memory", () => {
  const cache = createMemoryResponseCache({ clock });
  return {
    cache,
    raw: async (hash) =>
      cache.listEntries().flatMap((entry) => (entry.key.endsWith(hash) ? [entry.value] : [])),
  };
});
describeSealedStore(
  "sealed in Redis",
  () => {
    if (!redisTarget) return null;
    const redis = new Redis(redisTarget.url, { maxRetriesPerRequest: 1 });
    redisClients.push(redis);
    const prefix = `test:${randomBytes(6).toString("hex")}:`;
    return {
      cache: createRedisResponseCache({ redis, prefix }),
      // what a dump of Redis holds: every key of this test's namespace read as it is stored
      raw: async (hash) => {
        const keys = (await redis.keys(`${prefix}*`)).filter((key) => key.endsWith(hash));
        return Promise.all(keys.map(async (key) => (await redis.get(key)) as string));
      },
    };
  },
  redisTarget ? "" : NO_REDIS_SERVER_REASON,
);
