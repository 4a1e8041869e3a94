export { type CallerLimits, callerLimitsOf } from "./caller-limits.ts";
export { estimateChatCompletionTokens } from "./estimate-tokens.ts";
export {
  createFallbackRateLimiter,
  type FallbackLimiterStatus,
  type FallbackRateLimiter,
  type FallbackRateLimiterOptions,
  type LimiterBackend,
  redisLimiterWithFallback,
} from "./fallback-rate-limiter.ts";
export { formatDuration } from "./format-duration.ts";
export { createMemoryRateLimiter, type MemoryRateLimiter } from "./memory-rate-limiter.ts";
export {
  adjustedState,
  type BucketState,
  drainedLevel,
  emptyAt,
  evaluateCharges,
  gcra,
  type LimitCheck,
  type LimitVerdict,
  type QuotaProbe,
  type QuotaStatus,
  type RateLimitCharge,
  type RateLimitDecision,
  type RateLimiter,
  type RateLimitRule,
} from "./rate-limiter.ts";
export {
  createRedisConnection,
  type RedisConnectionOptions,
  waitUntilConnected,
} from "./redis-connection.ts";
export { createRedisRateLimiter, type RedisRateLimiterOptions } from "./redis-rate-limiter.ts";
export {
  type CapacityGrant,
  type CapacityRefusal,
  createTokenReservation,
  type LimitDeps,
  QUOTA_RESYNC_MS,
  quotaKey,
  reserveCapacity,
  type TokenReservation,
} from "./reserve-capacity.ts";
