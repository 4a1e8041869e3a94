"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../trpc/client.tsx";
import { formatNumber, formatRelative } from "../format.ts";
import { Badge } from "../ui/badge.tsx";
import { AlertIcon } from "../ui/icons.tsx";
import { QueryCard } from "./card-states.tsx";
import {
  checkLabel,
  formatMilliseconds,
  type GatewayHealth,
  metricsProblemSentence,
  type ReachableGatewayHealth,
  unreachableSentence,
} from "./overview-figures.ts";

// the server keeps an answer for 5 s, so asking more often would only repeat it
const REFRESH_MS = 15_000;

/** The gateway's readiness and its checks, where limits live, and how late its event loop runs. */
export function GatewayHealthCard() {
  const trpc = useTRPC();
  const health = useQuery(
    trpc.overview.gatewayHealth.queryOptions(undefined, { refetchInterval: REFRESH_MS }),
  );
  return (
    <QueryCard
      title="Gateway health"
      description="What the API gateway says about itself on /readyz and /metrics, read every few seconds."
      query={health}
      loadingLabel="Loading the gateway's health"
    >
      {(data) =>
        data === null ? (
          <p className="text-sm text-text-muted">This dashboard is not set up to reach the gateway.</p>
        ) : (
          <GatewayHealthView health={data} />
        )
      }
    </QueryCard>
  );
}

function GatewayHealthView({ health }: { health: GatewayHealth }) {
  if (!health.isReachable) {
    return (
      <div role="alert" className="flex gap-3 rounded-lg border border-danger/30 bg-danger-soft px-4 py-3">
        <AlertIcon className="mt-0.5 size-5 shrink-0 text-danger" />
        <div className="flex flex-col gap-1 text-sm">
          <p className="font-semibold text-danger">Gateway unreachable</p>
          <p className="text-text">{unreachableSentence(health.problem)}</p>
          <p className="text-text-muted">Checked {formatRelative(health.checkedAt)}.</p>
        </div>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-5">
      <div className="flex flex-wrap items-center gap-2">
        {health.isReady ? <Badge tone="success">Ready</Badge> : <Badge tone="danger">Not ready</Badge>}
        <span className="text-sm text-text-muted">Checked {formatRelative(health.checkedAt)}.</span>
      </div>
      <ul className="flex flex-wrap gap-2" aria-label="Readiness checks">
        {health.checks.map((check) => (
          <li key={check.name}>
            <Badge tone={check.isUp ? "neutral" : "danger"}>
              {checkLabel(check.name)}: {check.isUp ? "up" : "down"}
            </Badge>
          </li>
        ))}
      </ul>
      <GatewayMetricsView health={health} />
    </div>
  );
}

function GatewayMetricsView({ health }: { health: ReachableGatewayHealth }) {
  const problem = metricsProblemSentence(health.metricsProblem);
  const metrics = health.metrics;
  if (!metrics) return <p className="text-sm text-text-muted">{problem}</p>;
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
      <div className="flex flex-col gap-0.5">
        <dt className="text-text-muted">Rate-limit store</dt>
        <dd className="flex flex-wrap items-center gap-2 text-text">
          {metrics.limiterStore === "redis"
            ? "Redis, shared by every gateway"
            : metrics.limiterStore === "memory"
              ? "This gateway's memory (no Redis)"
              : "Not reported by this gateway"}
          {metrics.isLimiterFallbackActive ? <Badge tone="warning">Fallen back to memory</Badge> : null}
        </dd>
      </div>
      <div className="flex flex-col gap-0.5">
        <dt className="text-text-muted">Fallbacks from Redis since start</dt>
        <dd className="text-text tabular-nums">
          {formatNumber(metrics.limiterFallbacks)}
          {metrics.limiterFallbackChecks > 0
            ? ` (${formatNumber(metrics.limiterFallbackChecks)} checks answered from memory)`
            : ""}
        </dd>
      </div>
      <div className="flex flex-col gap-0.5">
        <dt className="text-text-muted">Event-loop delay (median · p99 · max)</dt>
        <dd className="text-text tabular-nums">
          {formatMilliseconds(metrics.eventLoopDelayP50Ms)} ·{" "}
          {formatMilliseconds(metrics.eventLoopDelayP99Ms)} ·{" "}
          {formatMilliseconds(metrics.eventLoopDelayMaxMs)}
        </dd>
      </div>
      <div className="flex flex-col gap-0.5">
        <dt className="text-text-muted">Usage events waiting to be written</dt>
        <dd className="text-text tabular-nums">
          {formatNumber(metrics.usageEventsPending, "—")}
          {metrics.usageEventsDropped ? ` (${formatNumber(metrics.usageEventsDropped)} given up)` : ""}
        </dd>
      </div>
    </dl>
  );
}
