export {
  broadcastCachePurge,
  CACHE_PURGE_CHANNEL,
  followCachePurges,
} from "./cache-purge-broadcast.ts";
export { MemoryResponseCache, type MemoryResponseCacheOptions } from "./memory-response-cache.ts";
export { purgeCacheForSubject } from "./purge-cache-for-subject.ts";
export { RedisResponseCache, type RedisResponseCacheOptions } from "./redis-response-cache.ts";
export {
  type CacheEntryRef,
  type CacheSubject,
  isDeterministicRequest,
  type ResponseCache,
  type ResponseCacheStats,
  responseCacheKey,
} from "./response-cache.ts";
