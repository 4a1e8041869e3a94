export {
  broadcastCachePurge,
  CACHE_PURGE_CHANNEL,
  followCachePurges,
} from "./cache-purge-broadcast.ts";
export {
  type CacheEntryKeys,
  type CompletionCache,
  completionCacheRef,
  createCompletionCache,
  findCachedCompletion,
  storeCompletion,
} from "./completion-cache.ts";
export {
  createMemoryResponseCache,
  type MemoryResponseCache,
  type MemoryResponseCacheOptions,
} from "./memory-response-cache.ts";
export { purgeCacheForSubject } from "./purge-cache-for-subject.ts";
export {
  createRedisResponseCache,
  type RedisResponseCache,
  type RedisResponseCacheOptions,
} from "./redis-response-cache.ts";
export {
  type CacheEntryRef,
  type CacheSubject,
  isDeterministicRequest,
  type ResponseCache,
  type ResponseCacheStats,
  responseCacheKey,
} from "./response-cache.ts";
