import type { CacheSubject, ResponseCache } from "./response-cache.ts";

/**
 * Erases cached answers of a subject: every entry of an organization, or, with `endUserId`,
 * those of one of its end users (requests that named them in `user`). For the compliance
 * work; returns how many entries were deleted. Entries also expire by themselves within the
 * cache TTL. With no cache configured there is nothing to erase.
 */
export async function purgeCacheForSubject(
  deps: { cache: ResponseCache | null },
  subject: CacheSubject,
): Promise<number> {
  if (!deps.cache) return 0;
  return deps.cache.purge({ organizationId: subject.organizationId, endUserId: subject.endUserId ?? null });
}
