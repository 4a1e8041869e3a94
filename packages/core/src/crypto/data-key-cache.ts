import { LRUCache } from "lru-cache";
import { type DataKey, type DataKeyDeps, getOrCreateDataKey } from "./data-keys.ts";

export interface DataKeySubject {
  organizationId: string;
  endUserId: string | null;
}

const subjectOf = (subject: DataKeySubject) => `${subject.organizationId}\u0000${subject.endUserId ?? ""}`;

/**
 * Unwrapped data keys of recently active subjects, so that sealing a log needs no database
 * read. A key's material never changes (re-wrapping changes only its wrapping); what can
 * happen is that an erasure deletes it, which the chat-log writer notices when its insert
 * finds the key gone, and then forgets it here. Holding unwrapped keys adds no exposure: this
 * process holds the master keys that unwrap them anyway.
 */
export interface DataKeyCache {
  /** The subject's key when it is at hand, without waiting; null when it must be loaded. */
  peek(subject: DataKeySubject): DataKey | null;
  /** The subject's key, from memory or loaded (created when the subject has none yet). */
  get(subject: DataKeySubject): Promise<DataKey>;
  /** Drops what is held for a subject (its key was deleted, or may have been). */
  forget(subject: DataKeySubject): void;
}

export function createDataKeyCache(
  deps: DataKeyDeps,
  options: { ttlMs?: number; maxEntries?: number } = {},
): DataKeyCache {
  const keys = new LRUCache<string, DataKey, DataKeySubject>({
    max: options.maxEntries ?? 10_000,
    ttl: options.ttlMs ?? 5 * 60_000,
    perf: { now: () => deps.clock.now().getTime() },
    ttlResolution: 0, // read the clock on every access
    // one load per subject at a time, shared by everyone who asks meanwhile; a load under
    // way when its subject is forgotten still answers those who asked, and a later ask loads afresh
    fetchMethod: (_name, _stale, { context }) => getOrCreateDataKey(deps, context),
    ignoreFetchAbort: true,
  });
  return {
    peek: (subject) => keys.get(subjectOf(subject)) ?? null,
    async get(subject) {
      const key = await keys.fetch(subjectOf(subject), { context: subject });
      if (!key) throw new Error("no data key was loaded"); // getOrCreateDataKey always returns one
      return key;
    },
    forget(subject) {
      keys.delete(subjectOf(subject));
    },
  };
}
