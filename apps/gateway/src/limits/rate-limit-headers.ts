import { type CapacityGrant, type CapacityRefusal, formatDuration, type RateLimitDecision } from "@dsc/core";
import type { FastifyReply } from "fastify";

const MAX_RETRY_AFTER_S = 60;

/**
 * The headers OpenAI sends about rate limits, on every limited response:
 * `x-ratelimit-{limit,remaining,reset}-requests` and, when a token limit applies, the
 * `-tokens` trio; resets as durations ("1s", "6m0s"). A refusal that a retry can pass also
 * gets `Retry-After` in whole seconds (at most 60) and `retry-after-ms`, which the SDKs
 * prefer; one that no retry can pass (quota, request too large) gets `x-should-retry: false`
 * instead, so that the SDKs do not retry in vain.
 */
export function setRateLimitHeaders(reply: FastifyReply, outcome: CapacityGrant | CapacityRefusal): void {
  if (outcome.requests) setTrio(reply, "requests", outcome.requests);
  if (outcome.tokens) setTrio(reply, "tokens", outcome.tokens);
  if (outcome.allowed) return;
  if (outcome.retryAfterMs === null) {
    reply.header("x-should-retry", "false");
    return;
  }
  const waitMs = Math.min(outcome.retryAfterMs, MAX_RETRY_AFTER_S * 1_000);
  reply.header("retry-after", String(Math.max(1, Math.ceil(waitMs / 1_000))));
  reply.header("retry-after-ms", String(Math.max(1, waitMs)));
}

/**
 * Each unit's header names, made once: a name built per response is a new string each time,
 * which the reply's header object then looks up in V8's string table to use as a key.
 */
const TRIO_NAMES = {
  requests: headerNamesOf("requests"),
  tokens: headerNamesOf("tokens"),
};

function headerNamesOf(unit: "requests" | "tokens") {
  return {
    limit: `x-ratelimit-limit-${unit}`,
    remaining: `x-ratelimit-remaining-${unit}`,
    reset: `x-ratelimit-reset-${unit}`,
  };
}

function setTrio(reply: FastifyReply, unit: "requests" | "tokens", decision: RateLimitDecision) {
  const names = TRIO_NAMES[unit];
  reply.header(names.limit, String(decision.limit));
  reply.header(names.remaining, String(decision.remaining));
  reply.header(names.reset, formatDuration(decision.resetMs));
}
