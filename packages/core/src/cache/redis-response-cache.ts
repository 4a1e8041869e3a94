import type { Redis } from "ioredis";
import {
  type CacheEntryRef,
  type CacheSubject,
  type ResponseCache,
  type ResponseCacheStats,
  subjectIndexName,
} from "./response-cache.ts";

export interface RedisResponseCacheOptions {
  redis: Redis;
  /** namespace of every key (default "dsc:") */
  prefix?: string;
  /** told about failed reads and writes, which are answered as misses */
  onError?: (error: unknown) => void;
}

const PURGE_BATCH = 500;

/**
 * Entries in Redis with a TTL, shared by every instance. Keys hold the organization as a hash
 * tag and the request's SHA-256, never content. Each entry is added to a set per subject
 * (organization, end user), and each set expires with its newest entry, so the index never
 * outlives what it points to by more than one TTL.
 */
export class RedisResponseCache implements ResponseCache {
  readonly stats: ResponseCacheStats = { hits: 0, misses: 0, stores: 0, errors: 0 };
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly onError: (error: unknown) => void;

  constructor(options: RedisResponseCacheOptions) {
    this.redis = options.redis;
    this.prefix = options.prefix ?? "dsc:";
    this.onError = options.onError ?? (() => {});
  }

  async get(ref: CacheEntryRef): Promise<string | null> {
    try {
      const value = await this.redis.get(this.entryKey(ref));
      if (value === null) this.stats.misses += 1;
      else this.stats.hits += 1;
      return value;
    } catch (error) {
      this.failed(error);
      this.stats.misses += 1;
      return null;
    }
  }

  async set(ref: CacheEntryRef, value: string, ttlMs: number): Promise<void> {
    const key = this.entryKey(ref);
    const ttl = Math.max(1, Math.ceil(ttlMs));
    const subjects = [this.subjectKey({ organizationId: ref.organizationId })];
    if (ref.endUserId) subjects.push(this.subjectKey(ref));
    try {
      const transaction = this.redis.multi().set(key, value, "PX", ttl);
      for (const subject of subjects) transaction.sadd(subject, key).pexpire(subject, ttl);
      await transaction.exec();
      this.stats.stores += 1;
    } catch (error) {
      this.failed(error);
    }
  }

  /** Unlike reads and writes, a purge that fails throws: an erasure must know. */
  async purge(subject: CacheSubject): Promise<number> {
    const index = this.subjectKey(subject);
    // an end user's entries are listed in the organization's set too: the keys are hashes of
    // their requests, so they leave that set with the entries
    const organizationIndex = subject.endUserId
      ? this.subjectKey({ organizationId: subject.organizationId })
      : null;
    let purged = 0;
    let cursor = "0";
    do {
      const [next, keys] = await this.redis.sscan(index, cursor, "COUNT", PURGE_BATCH);
      cursor = next;
      if (keys.length === 0) continue;
      purged += await this.redis.unlink(...keys);
      if (organizationIndex) await this.redis.srem(organizationIndex, ...keys);
    } while (cursor !== "0");
    await this.redis.unlink(index);
    return purged;
  }

  private entryKey(ref: CacheEntryRef): string {
    return `${this.prefix}cache:{${ref.organizationId}}:${ref.hash}`;
  }

  private subjectKey(subject: CacheSubject): string {
    return `${this.prefix}cache:{${subject.organizationId}}:subject:${subjectIndexName(subject)}`;
  }

  private failed(error: unknown) {
    this.stats.errors += 1;
    this.onError(error);
  }
}
