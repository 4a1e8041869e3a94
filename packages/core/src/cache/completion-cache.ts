import type { ChatCompletion, ChatCompletionRequest } from "@dsc/api-client";
import { isErasedSince } from "../chat-logs/erasure-tombstones.ts";
import { createDataKeyCache, type DataKeyCache, type DataKeySubject } from "../crypto/data-key-cache.ts";
import type { DataKeyDeps } from "../crypto/data-keys.ts";
import { randomBase62 } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import {
  type CacheEntryRef,
  isDeterministicRequest,
  type ResponseCache,
  type ResponseCacheStats,
  responseCacheKey,
} from "./response-cache.ts";
import { openCacheEntry, sealCacheEntry } from "./sealed-cache-entry.ts";

/**
 * The data key an entry is sealed under: its end user's when the request names one, else its
 * organization's (the keys of their chat logs), so that an erasure that destroys it leaves the
 * entry unreadable wherever a copy is.
 */
export type CacheEntryKeys = Pick<DataKeyCache, "get" | "peek">;

/** The gateway's response cache, how long it keeps an answer and the keys that seal them. */
export interface CompletionCache {
  cache: ResponseCache;
  ttlMs: number;
  keys: CacheEntryKeys;
  /** whether the erasure of the subject (its end user or organization) started at or after `since` */
  isErasedSince(subject: DataKeySubject, since: Date): Promise<boolean>;
}

/** A completion cache over a store, sealing its entries under data keys loaded with `deps`. */
export function createCompletionCache(
  deps: DataKeyDeps,
  options: { cache: ResponseCache; ttlMs: number },
): CompletionCache {
  return {
    cache: options.cache,
    ttlMs: options.ttlMs,
    keys: createDataKeyCache(deps),
    isErasedSince: (subject, since) => isErasedSince(deps.db, subject, since),
  };
}

/**
 * Where the answer of a chat completion is kept, or null when it must be neither read nor
 * written: not a deterministic request (temperature 0, n 1, no stream), or not allowed.
 */
export function completionCacheRef(input: {
  organizationId: string;
  modelId: string;
  request: ChatCompletionRequest;
}): CacheEntryRef | null {
  if (!isDeterministicRequest(input.request)) return null;
  return {
    organizationId: input.organizationId,
    endUserId: input.request.user || null,
    hash: responseCacheKey(input),
  };
}

/** The entry's subject: its end user when the request named one, else its organization. */
const subjectOf = (ref: CacheEntryRef): DataKeySubject => ({
  organizationId: ref.organizationId,
  endUserId: ref.endUserId ?? null,
});

/** The entry's data key: the end user's when the request named one, else the organization's. */
function dataKeyOf(keys: CacheEntryKeys, ref: CacheEntryRef) {
  return keys.get(subjectOf(ref));
}

/**
 * The stored answer of an identical request, with a fresh id and time like any answer; null on
 * a miss (the cache never throws). A value that does not open (its data key was destroyed, or
 * the key cannot be loaded) is a miss, and counted as an error.
 */
export async function findCachedCompletion(
  deps: { cache: ResponseCache; keys: CacheEntryKeys; clock: Clock },
  ref: CacheEntryRef,
): Promise<ChatCompletion | null> {
  const hit = await deps.cache.get(ref);
  if (hit === null) return null;
  // the key is loaded only for a hit: a miss never creates a data key
  const dataKey = await dataKeyOf(deps.keys, ref).catch(() => null);
  const opened = dataKey ? openCacheEntry(dataKey.key, ref, hit) : null;
  if (opened === null) {
    countUnopened(deps.cache.stats);
    return null;
  }
  const stored = JSON.parse(opened) as ChatCompletion;
  const created = Math.floor(deps.clock.now().getTime() / 1000);
  return { ...stored, id: `chatcmpl-${randomBase62(24)}`, created };
}

/**
 * Keeps an answer, sealed, for the cache's TTL; resolves once stored (never rejects). A key not
 * at hand is loaded, and made afresh when the subject has none, as after an erasure deleted it:
 * the answer to a request made before the subject's erasure started is what that erasure
 * removes, so it is not kept and no key is made for it (a data key would name the end user).
 */
export async function storeCompletion(
  completionCache: CompletionCache,
  ref: CacheEntryRef,
  completion: ChatCompletion,
  requestedAt: Date,
): Promise<void> {
  const { cache, keys, ttlMs } = completionCache;
  let sealed: string;
  try {
    const subject = subjectOf(ref);
    // also with the key at hand: a key held in memory may be one the erasure has just deleted
    if (await completionCache.isErasedSince(subject, requestedAt)) return;
    const dataKey = await dataKeyOf(keys, ref);
    sealed = sealCacheEntry(dataKey.key, ref, JSON.stringify(completion));
  } catch {
    cache.stats.errors += 1; // no key, no entry: the answer is simply not kept
    return;
  }
  await cache.set(ref, sealed, ttlMs);
}

// The store counted a hit; what does not open is a miss, and an error worth a look.
function countUnopened(stats: ResponseCacheStats): void {
  stats.hits -= 1;
  stats.misses += 1;
  stats.errors += 1;
}
