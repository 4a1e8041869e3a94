import type { ObserveUpstream, UpstreamOutcome } from "@dsc/core";
import { Counter, Histogram, Registry } from "prom-client";
import { processMetricsRegistry } from "./process-metrics.ts";

/** How a rate-limit check ended: allowed, or refused by the limit that bound. */
export type RateLimitDecisionKind = "allowed" | "requests" | "tokens" | "monthly_quota";

/**
 * One gateway's Prometheus series (its own registry, so that a process may build several) and
 * the calls the request path makes to record them. Series of state that already lives
 * elsewhere (limiter, writers, deletion deadlines) are read at each scrape instead
 * (metrics-routes.ts registers them on `registry`).
 */
export interface MetricsRecorder {
  readonly registry: Registry;
  /** a response went out: its route pattern (never the raw URL), method and status */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** an upstream attempt ended (core/chat/call-model.ts, and per deployment attempt) */
  observeUpstream: ObserveUpstream;
  /** a metered request's tokens, by model and tier: never by organization or end user */
  countTokens(model: string, tier: string, promptTokens: number, completionTokens: number): void;
  countRateLimitDecision(decision: RateLimitDecisionKind): void;
  /** one usage batch written (or refused) in this many seconds */
  observeUsageFlush(seconds: number): void;
  /** one conversation-log batch written (or failed) in this many seconds */
  observeChatLogFlush(seconds: number): void;
  /** this gateway's series and the process's, in the text format */
  exposition(): Promise<string>;
}

// a chat completion may stream for minutes: buckets reach 5 minutes
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
const TTFB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
const FLUSH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Observer = { observe(value: number): void };
type Incrementer = { inc(value?: number): void };

export function createMetricsRecorder(): MetricsRecorder {
  const registry = new Registry();
  const registers = [registry];
  const requestDuration = new Histogram({
    name: "dsc_http_request_duration_seconds",
    help: "Time from a request's arrival to its response's end (a stream's last byte), by route pattern, method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: "dsc_upstream_duration_seconds",
    help: "Upstream calls from request to last byte, by model, deployment and outcome (success, refused: the upstream's 4xx, error, timeout, aborted)",
    labelNames: ["model", "deployment", "outcome"] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const upstreamTtfb = new Histogram({
    name: "dsc_upstream_ttfb_seconds",
    help: "Upstream streams' time to their first chunk, by model and deployment",
    labelNames: ["model", "deployment"] as const,
    buckets: TTFB_BUCKETS,
    registers,
  });
  const tokens = new Counter({
    name: "dsc_tokens_total",
    help: "Tokens of metered requests by model, tier and type (prompt or completion); cached answers count none",
    labelNames: ["model", "tier", "type"] as const,
    registers,
  });
  const rateLimitDecisions = new Counter({
    name: "dsc_rate_limit_decisions_total",
    help: "Rate-limit checks of /v1 requests: allowed, or limited by the limit that bound (requests, tokens, monthly_quota)",
    labelNames: ["decision", "limit"] as const,
    registers,
  });
  const usageFlush = new Histogram({
    name: "dsc_usage_flush_duration_seconds",
    help: "Time to write one batch of usage events to the database (or to fail to)",
    buckets: FLUSH_BUCKETS,
    registers,
  });
  const chatLogFlush = new Histogram({
    name: "dsc_chat_log_flush_duration_seconds",
    help: "Time to write one batch of sealed conversation logs to the database (or to fail to)",
    buckets: FLUSH_BUCKETS,
    registers,
  });

  // Label children are resolved once per combination and kept: the request path then does a
  // few map lookups, no label objects or strings of its own (prom-client still hashes inside).
  const decisions: Record<RateLimitDecisionKind, Incrementer> = {
    allowed: rateLimitDecisions.labels("allowed", "none"),
    requests: rateLimitDecisions.labels("limited", "requests"),
    tokens: rateLimitDecisions.labels("limited", "tokens"),
    monthly_quota: rateLimitDecisions.labels("limited", "monthly_quota"),
  };
  const requestChildren = new Map<string, Map<string, Map<number, Observer>>>();
  const upstreamChildren = new Map<
    string,
    Map<string, { ttfb: Observer } & Record<UpstreamOutcome, Observer>>
  >();
  const tokenChildren = new Map<string, Map<string, { prompt: Incrementer; completion: Incrementer }>>();

  const requestChild = (route: string, method: string, status: number): Observer =>
    kept(
      kept(
        kept(requestChildren, route, () => new Map()),
        method,
        () => new Map(),
      ),
      status,
      () => requestDuration.labels(route, method, String(status)),
    );
  const upstreamChild = (model: string, deployment: string) =>
    kept(
      kept(upstreamChildren, model, () => new Map()),
      deployment,
      () => {
        // every outcome of a deployment exposed from its first call, at zero: a rate of errors
        // or refusals then reads 0, not "no data", until one happens
        const outcome = (name: UpstreamOutcome) => {
          upstreamDuration.zero({ model, deployment, outcome: name });
          return upstreamDuration.labels(model, deployment, name);
        };
        return {
          success: outcome("success"),
          refused: outcome("refused"),
          error: outcome("error"),
          timeout: outcome("timeout"),
          aborted: outcome("aborted"),
          ttfb: upstreamTtfb.labels(model, deployment),
        };
      },
    );
  const tokenChild = (model: string, tier: string) =>
    kept(
      kept(tokenChildren, model, () => new Map()),
      tier,
      () => ({
        prompt: tokens.labels(model, tier, "prompt"),
        completion: tokens.labels(model, tier, "completion"),
      }),
    );

  return {
    registry,
    observeRequest(route, method, status, seconds) {
      requestChild(route, method, status).observe(seconds);
    },
    observeUpstream({ model, deployment, durationSeconds, ttfbSeconds, outcome }) {
      const child = upstreamChild(model, deployment);
      child[outcome].observe(durationSeconds);
      if (ttfbSeconds !== null) child.ttfb.observe(ttfbSeconds);
    },
    countTokens(model, tier, promptTokens, completionTokens) {
      if (promptTokens <= 0 && completionTokens <= 0) return;
      const child = tokenChild(model, tier);
      if (promptTokens > 0) child.prompt.inc(promptTokens);
      if (completionTokens > 0) child.completion.inc(completionTokens);
    },
    countRateLimitDecision(decision) {
      decisions[decision].inc();
    },
    observeUsageFlush(seconds) {
      usageFlush.observe(seconds);
    },
    observeChatLogFlush(seconds) {
      chatLogFlush.observe(seconds);
    },
    exposition: () => Registry.merge([registry, processMetricsRegistry()]).metrics(),
  };
}

/** The entry of `key`, made and kept the first time it is asked for. */
function kept<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
