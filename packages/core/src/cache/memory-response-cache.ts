import { LRUCache } from "lru-cache";
import type { Clock } from "../time/clock.ts";
import { type ResponseCache, type ResponseCacheStats, responseCacheKeys } from "./response-cache.ts";

interface Entry {
  value: string;
  subjects: string[];
}

export interface MemoryResponseCacheOptions {
  clock: Clock;
  /** most entries kept (default 10,000) */
  maxEntries?: number;
  /** most bytes of answers kept (default 64 MiB) */
  maxBytes?: number;
}

/** The cache in this process's memory: purged by broadcasts (followCachePurges), readable by audits. */
export interface MemoryResponseCache extends ResponseCache {
  readonly kind: "memory";
  /** Forgets every entry (after purge broadcasts may have been missed). */
  clear(): void;
  /**
   * Every live entry with its key (organization and request hash) and stored answer. For audits
   * and erasure proofs, which must look at what is held rather than trust the subject index.
   */
  listEntries(): { key: string; value: string }[];
}

/**
 * An LRU in process memory with a TTL per entry, bounded in entries and bytes, with an index
 * of entries per subject for purges.
 */
export function createMemoryResponseCache(options: MemoryResponseCacheOptions): MemoryResponseCache {
  const stats: ResponseCacheStats = { hits: 0, misses: 0, stores: 0, errors: 0 };
  const keys = responseCacheKeys("");
  const bySubject = new Map<string, Set<string>>();
  const entries = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 10_000,
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (entry) => Math.max(1, entry.value.length * 2),
    perf: { now: () => options.clock.now().getTime() },
    ttlResolution: 0, // read the clock on every access (the default caches it on a real timer)
    dispose: (entry, key) => {
      for (const subject of entry.subjects) {
        const listed = bySubject.get(subject);
        listed?.delete(key);
        if (listed?.size === 0) bySubject.delete(subject);
      }
    },
  });

  return {
    kind: "memory",
    stats,

    async get(ref) {
      const entry = entries.get(keys.entry(ref));
      if (entry) stats.hits += 1;
      else stats.misses += 1;
      return entry?.value ?? null;
    },

    async set(ref, value, ttlMs) {
      const key = keys.entry(ref);
      const subjects = keys.subjectsOf(ref);
      entries.set(key, { value, subjects }, { ttl: ttlMs });
      if (!entries.has(key)) return; // too large to keep
      stats.stores += 1;
      for (const subject of subjects) {
        const listed = bySubject.get(subject) ?? new Set<string>();
        listed.add(key);
        bySubject.set(subject, listed);
      }
    },

    async purge(subject) {
      const index = keys.subject(subject);
      let purged = 0;
      for (const key of [...(bySubject.get(index) ?? [])]) if (entries.delete(key)) purged += 1;
      bySubject.delete(index);
      return purged;
    },

    clear() {
      entries.clear();
      bySubject.clear();
    },

    listEntries() {
      return [...entries.entries()].map(([key, entry]) => ({ key, value: entry.value }));
    },
  };
}
