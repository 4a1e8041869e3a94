import type { Redis } from "ioredis";
import { type ResponseCache, type ResponseCacheStats, responseCacheKeys } from "./response-cache.ts";

export interface RedisResponseCacheOptions {
  redis: Redis;
  /** namespace of every key (default "dsc:") */
  prefix?: string;
  /** told about failed reads and writes, which are answered as misses */
  onError?: (error: unknown) => void;
}

const PURGE_BATCH = 500;

/** The cache in Redis, shared by every instance (an erasure purges it directly). */
export interface RedisResponseCache extends ResponseCache {
  readonly kind: "redis";
}

/**
 * Entries in Redis with a TTL, shared by every instance. Each entry is added to a set per
 * subject (organization, end user), and each set expires with its newest entry, so the index
 * never outlives what it points to by more than one TTL.
 */
export function createRedisResponseCache(options: RedisResponseCacheOptions): RedisResponseCache {
  const { redis } = options;
  const prefix = options.prefix ?? "dsc:";
  const onError = options.onError ?? (() => {});
  const stats: ResponseCacheStats = { hits: 0, misses: 0, stores: 0, errors: 0 };
  const keys = responseCacheKeys(prefix);
  const failed = (error: unknown) => {
    stats.errors += 1;
    onError(error);
  };

  return {
    kind: "redis",
    stats,

    async get(ref) {
      try {
        const value = await redis.get(keys.entry(ref));
        if (value === null) stats.misses += 1;
        else stats.hits += 1;
        return value;
      } catch (error) {
        failed(error);
        stats.misses += 1;
        return null;
      }
    },

    async set(ref, value, ttlMs) {
      const key = keys.entry(ref);
      const ttl = Math.max(1, Math.ceil(ttlMs));
      try {
        const transaction = redis.multi().set(key, value, "PX", ttl);
        for (const subject of keys.subjectsOf(ref)) transaction.sadd(subject, key).pexpire(subject, ttl);
        await transaction.exec();
        stats.stores += 1;
      } catch (error) {
        failed(error);
      }
    },

    /** Unlike reads and writes, a purge that fails throws: an erasure must know. */
    async purge(subject) {
      const index = keys.subject(subject);
      // an end user's entries are listed in the organization's set too: the keys are hashes of
      // their requests, so they leave that set with the entries
      const organizationIndex = subject.endUserId
        ? keys.subject({ organizationId: subject.organizationId })
        : null;
      let purged = 0;
      let cursor = "0";
      do {
        const [next, listed] = await redis.sscan(index, cursor, "COUNT", PURGE_BATCH);
        cursor = next;
        if (listed.length === 0) continue;
        purged += await redis.unlink(...listed);
        if (organizationIndex) await redis.srem(organizationIndex, ...listed);
      } while (cursor !== "0");
      await redis.unlink(index);
      return purged;
    },
  };
}
