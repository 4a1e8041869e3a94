import type { Running } from "../support/processes.ts";

/** The servers the overhead benchmark compares, in the order of its tables. */
export const TARGET_IDS = [
  "direct",
  "bare",
  "fastify",
  "gateway-memory",
  "gateway-memory-opt-out",
  "gateway-baseline",
  "gateway-redis",
  "gateway-baseline-redis",
  "portkey",
] as const;
export type TargetId = (typeof TARGET_IDS)[number];

export const TARGET_NAMES: Record<TargetId, string> = {
  direct: "direct to the fake upstream",
  bare: "bare Node pass-through (undici)",
  fastify: "the same pass-through on Fastify",
  "gateway-memory": "this gateway, memory store",
  "gateway-memory-opt-out": "this gateway, memory store, requests opted out (no chat log)",
  "gateway-baseline": "baseline build (BENCH_BASELINE), memory store",
  "gateway-redis": "this gateway, Redis store",
  "gateway-baseline-redis": "baseline build (BENCH_BASELINE), Redis store",
  portkey: "Portkey OSS gateway",
};

export type BodyKind = "json" | "stream";

/** A server under measurement: where to send, what, and whose CPU to read. */
export interface Target {
  id: TargetId;
  server: Running;
  headers: Record<string, string>;
  bodies: Record<BodyKind, string>;
}

/** A target that does not run in this run, and why (for the report). */
export interface SkippedTarget {
  id: TargetId;
  reason: string;
}

export const CHAT_PATH = "/v1/chat/completions";

/**
 * The request every target gets, for `model`: one short user turn, no temperature. The response
 * cache only answers temperature 0 (core/cache/response-cache.ts: isDeterministicRequest), so no
 * request is a cache hit. Streams ask for the usage chunk, which the gateway asks its upstream
 * for anyway, so that every target relays the same events.
 */
export function chatBodies(model: string): Record<BodyKind, string> {
  const request = {
    model,
    max_tokens: 64,
    messages: [{ role: "user", content: "Hello, how are you today? Tell me in one sentence." }],
  };
  return {
    json: JSON.stringify(request),
    stream: JSON.stringify({ ...request, stream: true, stream_options: { include_usage: true } }),
  };
}
