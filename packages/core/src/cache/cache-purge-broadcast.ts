import type { Database } from "@dsc/db";
import type { PostgresNotifications } from "../notifications/postgres-notifications.ts";
import type { MemoryResponseCache } from "./memory-response-cache.ts";
import type { CacheSubject } from "./response-cache.ts";

/**
 * A gateway without Redis keeps its response cache in its own memory, which the worker cannot
 * reach; an erasure asks every gateway over this channel to purge the subject's entries.
 */
export const CACHE_PURGE_CHANNEL = "dsc_response_cache_purge";

/** Asks every gateway listening (followCachePurges) to purge a subject's cached answers. */
export async function broadcastCachePurge(db: Database, subject: CacheSubject): Promise<void> {
  const payload = JSON.stringify({
    organizationId: subject.organizationId,
    endUserId: subject.endUserId ?? null,
  });
  await db.$executeRaw`SELECT pg_notify(${CACHE_PURGE_CHANNEL}, ${payload})`;
}

/**
 * Purges `cache` whenever a purge is broadcast. Purges sent while the connection was down are
 * lost, so everything is dropped after a reconnect (a cache is only ever a shortcut).
 */
export function followCachePurges(
  notifications: PostgresNotifications,
  cache: Pick<MemoryResponseCache, "purge" | "clear">,
  onError: (error: unknown) => void = () => {},
): Promise<void> {
  return notifications.listen(CACHE_PURGE_CHANNEL, {
    onMessage: (payload) => {
      const subject = parseCacheSubject(payload);
      if (subject) void cache.purge(subject).catch(onError);
      else cache.clear();
    },
    onReconnect: () => cache.clear(),
  });
}

function parseCacheSubject(payload: string): CacheSubject | null {
  try {
    const value = JSON.parse(payload) as { organizationId?: unknown; endUserId?: unknown };
    if (typeof value.organizationId !== "string" || value.organizationId === "") return null;
    return {
      organizationId: value.organizationId,
      endUserId: typeof value.endUserId === "string" ? value.endUserId : null,
    };
  } catch {
    return null;
  }
}
