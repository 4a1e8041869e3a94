import { LRUCache } from "lru-cache";
import type { Clock } from "../time/clock.ts";
import {
  type CacheEntryRef,
  type CacheSubject,
  type ResponseCache,
  type ResponseCacheStats,
  subjectIndexName,
} from "./response-cache.ts";

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

/**
 * An LRU in process memory with a TTL per entry, bounded in entries and bytes, with an index
 * of entries per subject for purges.
 */
export class MemoryResponseCache implements ResponseCache {
  readonly stats: ResponseCacheStats = { hits: 0, misses: 0, stores: 0, errors: 0 };
  private readonly entries: LRUCache<string, Entry>;
  private readonly bySubject = new Map<string, Set<string>>();

  constructor(options: MemoryResponseCacheOptions) {
    this.entries = new LRUCache<string, Entry>({
      max: options.maxEntries ?? 10_000,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      sizeCalculation: (entry) => Math.max(1, entry.value.length * 2),
      perf: { now: () => options.clock.now().getTime() },
      ttlResolution: 0, // read the clock on every access (the default caches it on a real timer)
      dispose: (entry, key) => {
        for (const subject of entry.subjects) {
          const keys = this.bySubject.get(subject);
          keys?.delete(key);
          if (keys?.size === 0) this.bySubject.delete(subject);
        }
      },
    });
  }

  async get(ref: CacheEntryRef): Promise<string | null> {
    const entry = this.entries.get(entryKey(ref));
    if (entry) this.stats.hits += 1;
    else this.stats.misses += 1;
    return entry?.value ?? null;
  }

  async set(ref: CacheEntryRef, value: string, ttlMs: number): Promise<void> {
    const key = entryKey(ref);
    const subjects = [subjectKey({ organizationId: ref.organizationId })];
    if (ref.endUserId) subjects.push(subjectKey(ref));
    this.entries.set(key, { value, subjects }, { ttl: ttlMs });
    if (!this.entries.has(key)) return; // too large to keep
    this.stats.stores += 1;
    for (const subject of subjects) {
      const keys = this.bySubject.get(subject) ?? new Set<string>();
      keys.add(key);
      this.bySubject.set(subject, keys);
    }
  }

  async purge(subject: CacheSubject): Promise<number> {
    const keys = [...(this.bySubject.get(subjectKey(subject)) ?? [])];
    let purged = 0;
    for (const key of keys) if (this.entries.delete(key)) purged += 1;
    this.bySubject.delete(subjectKey(subject));
    return purged;
  }

  /** Forgets every entry (after purge broadcasts may have been missed). */
  clear(): void {
    this.entries.clear();
    this.bySubject.clear();
  }

  /**
   * Every live entry with its key (organization and request hash) and stored answer. For audits
   * and erasure proofs, which must look at what is held rather than trust the subject index.
   */
  listEntries(): { key: string; value: string }[] {
    return [...this.entries.entries()].map(([key, entry]) => ({ key, value: entry.value }));
  }
}

function entryKey(ref: CacheEntryRef): string {
  return `${ref.organizationId}:${ref.hash}`;
}

function subjectKey(subject: CacheSubject): string {
  return `${subject.organizationId}:${subjectIndexName(subject)}`;
}
