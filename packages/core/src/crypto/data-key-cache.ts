import { type DataKey, type DataKeyDeps, getOrCreateDataKey } from "./data-keys.ts";

export interface DataKeySubject {
  organizationId: string;
  endUserId: string | null;
}

interface Entry {
  /** one load per subject at a time, shared by everyone who asks meanwhile */
  loading: Promise<DataKey> | null;
  key: DataKey | null;
  loadedAt: number;
}

const subjectOf = (subject: DataKeySubject) => `${subject.organizationId}\u0000${subject.endUserId ?? ""}`;

/**
 * Unwrapped data keys of recently active subjects, so that sealing a log needs no database
 * read. A key's material never changes (re-wrapping changes only its wrapping); what can
 * happen is that an erasure deletes it, which the chat-log writer notices when its insert
 * finds the key gone, and then forgets it here. Holding unwrapped keys adds no exposure: this
 * process holds the master keys that unwrap them anyway.
 */
export class DataKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly deps: DataKeyDeps,
    options: { ttlMs?: number; maxEntries?: number } = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The subject's key when it is at hand, without waiting; null when it must be loaded. */
  peek(subject: DataKeySubject): DataKey | null {
    const entry = this.entries.get(subjectOf(subject));
    if (!entry?.key) return null;
    if (this.deps.clock.now().getTime() - entry.loadedAt >= this.ttlMs) return null;
    return entry.key;
  }

  /** The subject's key, from memory or loaded (created when the subject has none yet). */
  get(subject: DataKeySubject): Promise<DataKey> {
    const key = this.peek(subject);
    if (key) return Promise.resolve(key);
    const name = subjectOf(subject);
    const entry = this.entries.get(name);
    if (entry?.loading) return entry.loading;
    const loading = getOrCreateDataKey(this.deps, subject).then(
      (loaded) => {
        this.entries.delete(name); // re-inserted last: the oldest entries go first when full
        this.entries.set(name, { loading: null, key: loaded, loadedAt: this.deps.clock.now().getTime() });
        this.evictOldest();
        return loaded;
      },
      (error: unknown) => {
        this.entries.delete(name);
        throw error;
      },
    );
    this.entries.set(name, { loading, key: entry?.key ?? null, loadedAt: entry?.loadedAt ?? 0 });
    return loading;
  }

  /** Drops what is held for a subject (its key was deleted, or may have been). */
  forget(subject: DataKeySubject): void {
    this.entries.delete(subjectOf(subject));
  }

  private evictOldest() {
    for (const [name, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries) return;
      if (!entry.loading) this.entries.delete(name);
    }
  }
}
