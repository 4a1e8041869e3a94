import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import type { OrganizationChange, OrganizationChangeFeed } from "./organization-changes.ts";
import { loadOrganizationSnapshot, type OrganizationSnapshot } from "./organization-snapshot.ts";

export interface OrganizationSnapshotCacheOptions {
  /**
   * How long a snapshot is used without a change notification. Notifications drop snapshots
   * within milliseconds; this only bounds the damage of one that never arrives.
   */
  ttlMs?: number;
  /** organizations kept at most (the least recently loaded go first) */
  maxEntries?: number;
}

interface Entry {
  snapshot: OrganizationSnapshot;
  loadedAt: number;
}

interface Load {
  promise: Promise<OrganizationSnapshot | null>;
  isStale: boolean;
}

/**
 * Each gateway's copy of the organizations it serves, so that a request reads no database row
 * for its limits, models or data policy. A snapshot is dropped when the database announces a
 * change (OrganizationChangeFeed), so a tier change applies as soon as the notification
 * arrives; everything is dropped when notifications may have been missed.
 */
export class OrganizationSnapshotCache {
  private readonly entries = new Map<string, Entry>();
  /** reads in flight; a change marks them stale, so that what they read is not kept */
  private readonly loading = new Map<string, Load>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly deps: { db: Database; clock: Clock },
    options: OrganizationSnapshotCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** Drops snapshots as the feed announces changes. */
  follow(feed: OrganizationChangeFeed): void {
    feed.subscribe((change) => this.apply(change));
  }

  /** The organization's snapshot (null when it does not exist), from memory when fresh. */
  get(organizationId: string): Promise<OrganizationSnapshot | null> {
    const entry = this.entries.get(organizationId);
    if (entry && this.deps.clock.now().getTime() - entry.loadedAt < this.ttlMs) {
      return Promise.resolve(entry.snapshot);
    }
    return (this.loading.get(organizationId) ?? this.load(organizationId)).promise;
  }

  apply(change: OrganizationChange): void {
    if (change.kind === "organization") {
      this.entries.delete(change.id);
      this.forgetLoad(change.id);
      return;
    }
    if (change.kind === "tier") {
      for (const [id, entry] of this.entries)
        if (entry.snapshot.tierId === change.id) this.entries.delete(id);
    } else {
      this.entries.clear();
    }
    // a read in flight may have seen the tier or the models before the change
    for (const id of [...this.loading.keys()]) this.forgetLoad(id);
  }

  get size(): number {
    return this.entries.size;
  }

  private load(organizationId: string): Load {
    const loadedAt = this.deps.clock.now().getTime();
    const load: Load = { isStale: false, promise: Promise.resolve(null) };
    load.promise = loadOrganizationSnapshot(this.deps.db, organizationId)
      .then((snapshot) => {
        if (snapshot && !load.isStale) this.keep(organizationId, { snapshot, loadedAt });
        return snapshot;
      })
      .finally(() => {
        if (this.loading.get(organizationId) === load) this.loading.delete(organizationId);
      });
    this.loading.set(organizationId, load);
    return load;
  }

  private forgetLoad(organizationId: string): void {
    const load = this.loading.get(organizationId);
    if (!load) return;
    load.isStale = true;
    this.loading.delete(organizationId);
  }

  private keep(organizationId: string, entry: Entry): void {
    this.entries.delete(organizationId);
    this.entries.set(organizationId, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
