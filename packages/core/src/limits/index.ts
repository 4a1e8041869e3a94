export { MemoryRateLimiter } from "./memory-rate-limiter.ts";
export { gcra, type RateLimitDecision, type RateLimiter, type RateLimitRule } from "./rate-limiter.ts";
