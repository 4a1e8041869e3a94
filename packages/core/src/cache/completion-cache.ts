import type { ChatCompletion, ChatCompletionRequest } from "@dsc/api-client";
import { randomBase62 } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import {
  type CacheEntryRef,
  isDeterministicRequest,
  type ResponseCache,
  responseCacheKey,
} from "./response-cache.ts";

/** The gateway's response cache and how long it keeps an answer; null when caching is off. */
export interface CompletionCache {
  cache: ResponseCache;
  ttlMs: number;
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

/**
 * The stored answer of an identical request, with a fresh id and time like any answer; null on
 * a miss (the cache never throws).
 */
export async function findCachedCompletion(
  deps: { cache: ResponseCache; clock: Clock },
  ref: CacheEntryRef,
): Promise<ChatCompletion | null> {
  const hit = await deps.cache.get(ref);
  if (hit === null) return null;
  const stored = JSON.parse(hit) as ChatCompletion;
  const created = Math.floor(deps.clock.now().getTime() / 1000);
  return { ...stored, id: `chatcmpl-${randomBase62(24)}`, created };
}

/** Keeps an answer for the cache's TTL; resolves once stored (never rejects). */
export function storeCompletion(
  completionCache: CompletionCache,
  ref: CacheEntryRef,
  completion: ChatCompletion,
): Promise<void> {
  return completionCache.cache.set(ref, JSON.stringify(completion), completionCache.ttlMs);
}
