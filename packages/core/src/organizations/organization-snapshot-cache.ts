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
export interface OrganizationSnapshotCache {
  /** Drops snapshots as the feed announces changes. */
  follow(feed: OrganizationChangeFeed): void;
  /** The organization's snapshot (null when it does not exist), from memory when fresh. */
  get(organizationId: string): Promise<OrganizationSnapshot | null>;
  apply(change: OrganizationChange): void;
  readonly size: number;
}

export function createOrganizationSnapshotCache(
  deps: { db: Database; clock: Clock },
  options: OrganizationSnapshotCacheOptions = {},
): OrganizationSnapshotCache {
  const entries = new Map<string, Entry>();
  /** reads in flight; a change marks them stale, so that what they read is not kept */
  const loading = new Map<string, Load>();
  const ttlMs = options.ttlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 10_000;

  const keep = (organizationId: string, entry: Entry) => {
    entries.delete(organizationId);
    entries.set(organizationId, entry);
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
  };

  const load = (organizationId: string): Load => {
    const loadedAt = deps.clock.now().getTime();
    const started: Load = { isStale: false, promise: Promise.resolve(null) };
    started.promise = loadOrganizationSnapshot(deps.db, organizationId)
      .then((snapshot) => {
        if (snapshot && !started.isStale) keep(organizationId, { snapshot, loadedAt });
        return snapshot;
      })
      .finally(() => {
        if (loading.get(organizationId) === started) loading.delete(organizationId);
      });
    loading.set(organizationId, started);
    return started;
  };

  const forgetLoad = (organizationId: string) => {
    const started = loading.get(organizationId);
    if (!started) return;
    started.isStale = true;
    loading.delete(organizationId);
  };

  const apply = (change: OrganizationChange) => {
    if (change.kind === "organization") {
      entries.delete(change.id);
      forgetLoad(change.id);
      return;
    }
    if (change.kind === "tier") {
      for (const [id, entry] of entries) if (entry.snapshot.tierId === change.id) entries.delete(id);
    } else {
      entries.clear();
    }
    // a read in flight may have seen the tier or the models before the change
    for (const id of [...loading.keys()]) forgetLoad(id);
  };

  return {
    follow(feed) {
      feed.subscribe((change) => apply(change));
    },
    get(organizationId) {
      const entry = entries.get(organizationId);
      if (entry && deps.clock.now().getTime() - entry.loadedAt < ttlMs) {
        return Promise.resolve(entry.snapshot);
      }
      return (loading.get(organizationId) ?? load(organizationId)).promise;
    },
    apply,
    get size() {
      return entries.size;
    },
  };
}
