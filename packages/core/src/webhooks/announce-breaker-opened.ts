import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { type EnqueuedWebhookEvent, enqueueWebhookEvent } from "./enqueue-webhook-event.ts";

/** What the deployments' circuit breaker tells when it opens (DeploymentStateChange's fields). */
export interface BreakerOpening {
  deploymentId: string;
  at: Date;
  coolingUntil: Date | null;
  consecutiveFailures: number;
}

/**
 * Sends `deployment.breaker_opened` to the platform's endpoints (deployments are the
 * platform's, not an organization's). Gateways without a shared Redis each keep their own
 * breaker and may each open one for the same outage: the once-key (deployment and minute)
 * keeps that to one event a minute. A deployment deleted meanwhile announces nothing.
 */
export async function announceBreakerOpened(
  deps: { db: Database; clock: Clock },
  opening: BreakerOpening,
): Promise<EnqueuedWebhookEvent> {
  const deployment = await deps.db.modelDeployment.findUnique({
    where: { id: opening.deploymentId },
    select: { modelId: true },
  });
  if (!deployment) return { eventId: null, deliveries: 0 };
  const minute = opening.at.toISOString().slice(0, 16);
  return enqueueWebhookEvent(deps, {
    type: "deployment.breaker_opened",
    organizationId: null,
    onceKey: `deployment.breaker_opened:${opening.deploymentId}:${minute}`,
    data: {
      deployment_id: opening.deploymentId,
      model_id: deployment.modelId,
      opened_at: opening.at.toISOString(),
      retry_after: opening.coolingUntil?.toISOString() ?? null,
      failures: opening.consecutiveFailures,
    },
  });
}
