"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "../../../../components/format.ts";
import { Badge } from "../../../../components/ui/badge.tsx";
import { Skeleton } from "../../../../components/ui/states.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";

/** The gateway's breakers, asked again every 5 s while the page is open (the reader keeps 2 s). */
export function useDeploymentHealth() {
  const trpc = useTRPC();
  return useQuery(trpc.models.deploymentHealth.queryOptions(undefined, { refetchInterval: 5_000 }));
}

const WHY_UNKNOWN: Record<string, string> = {
  no_token: "The dashboard has no METRICS_TOKEN to ask the gateway with.",
  not_enabled: "The gateway does not serve deployment health (no METRICS_TOKEN there, or an older version).",
  refused: "The gateway refused the dashboard's METRICS_TOKEN.",
  not_kept: "The gateway keeps no circuit breakers.",
  unavailable: "The gateway did not answer in time.",
};

/**
 * One deployment's breaker: closed (healthy), open (skipped until the cool-down ends), half
 * open (one probe request at a time), or unknown with the reason in its title.
 */
export function DeploymentHealthCell({
  deploymentId,
  health,
}: {
  deploymentId: string;
  health: ReturnType<typeof useDeploymentHealth>;
}) {
  if (health.isPending) return <Skeleton className="h-4 w-16" />;
  const reading = health.data;
  if (health.isError || !reading || !reading.isKnown) {
    const why =
      reading && !reading.isKnown ? WHY_UNKNOWN[reading.problem] : "The dashboard could not ask the gateway.";
    return (
      <span title={why}>
        <Badge>Unknown</Badge>
      </span>
    );
  }
  const breaker = reading.deployments.find((entry) => entry.deploymentId === deploymentId);
  // a gateway that has not routed to it yet has no breaker for it: nothing has failed
  if (!breaker || breaker.state === "closed") {
    return (
      <span title={breaker ? `${breaker.consecutiveFailures} failures in a row` : "No request has failed"}>
        <Badge tone="success">Healthy</Badge>
      </span>
    );
  }
  const until = breaker.coolingUntil ? ` until ${formatDateTime(breaker.coolingUntil)}` : "";
  return breaker.state === "open" ? (
    <span title={`${breaker.consecutiveFailures} failures in a row; skipped${until}`}>
      <Badge tone="danger">Open{until ? " (cooling down)" : ""}</Badge>
    </span>
  ) : (
    <span title="One probe request at a time decides whether it closes again">
      <Badge tone="warning">Half open</Badge>
    </span>
  );
}
