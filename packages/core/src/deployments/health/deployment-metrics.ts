import type { AttemptOutcome } from "./deployment-health.ts";

/** Upper bounds of the latency histogram, in seconds (time to the upstream's answer headers). */
export const ATTEMPT_LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

export type AttemptResult = "ok" | Extract<AttemptOutcome, { ok: false }>["reason"];

export const ATTEMPT_RESULTS: readonly AttemptResult[] = [
  "ok",
  "connect",
  "timeout",
  "status_5xx",
  "status_429",
  "broken_answer",
];

/** One deployment's counters since this gateway started (Prometheus counters: they only grow). */
export interface DeploymentCounters {
  /** attempts of requests by how they ended */
  attempts: Record<AttemptResult, number>;
  /** successful attempts' latency: cumulative counts per bound of ATTEMPT_LATENCY_BUCKETS_SECONDS */
  latency: { bucketCounts: number[]; count: number; sumSeconds: number };
  /** active health checks by how they ended */
  checks: Record<AttemptResult, number>;
  /** times this gateway opened the breaker (openings heard from other gateways are theirs) */
  opened: number;
}

export function emptyCounters(): DeploymentCounters {
  return {
    attempts: { ok: 0, connect: 0, timeout: 0, status_5xx: 0, status_429: 0, broken_answer: 0 },
    latency: {
      bucketCounts: ATTEMPT_LATENCY_BUCKETS_SECONDS.map(() => 0),
      count: 0,
      sumSeconds: 0,
    },
    checks: { ok: 0, connect: 0, timeout: 0, status_5xx: 0, status_429: 0, broken_answer: 0 },
    opened: 0,
  };
}

/**
 * Counts one attempt. Only successes enter the latency histogram: a failure's time is mostly
 * the timeout that ended it, which would hide how fast the deployment answers.
 */
export function countAttempt(counters: DeploymentCounters, outcome: AttemptOutcome): void {
  const result: AttemptResult = outcome.ok ? "ok" : outcome.reason;
  counters.attempts[result] += 1;
  if (!outcome.ok) return;
  const seconds = Math.max(0, outcome.latencyMs) / 1_000;
  counters.latency.count += 1;
  counters.latency.sumSeconds += seconds;
  ATTEMPT_LATENCY_BUCKETS_SECONDS.forEach((bound, index) => {
    if (seconds <= bound)
      counters.latency.bucketCounts[index] = (counters.latency.bucketCounts[index] ?? 0) + 1;
  });
}

export function countCheck(counters: DeploymentCounters, outcome: AttemptOutcome): void {
  counters.checks[outcome.ok ? "ok" : outcome.reason] += 1;
}

/** A copy for a scrape, so that the reader holds no live counters. */
export function copyCounters(counters: DeploymentCounters): DeploymentCounters {
  return {
    attempts: { ...counters.attempts },
    latency: { ...counters.latency, bucketCounts: [...counters.latency.bucketCounts] },
    checks: { ...counters.checks },
    opened: counters.opened,
  };
}
