import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { WebhookEndpointDeps } from "./webhook-deps.ts";
import {
  findVisibleWebhookEndpoint,
  viewOfWebhookEndpoint,
  type WebhookEndpointView,
  type WebhookViewer,
} from "./webhook-endpoint-view.ts";

/**
 * Enables or disables an endpoint. A disabled endpoint gets no new deliveries, and deliveries
 * already queued are not sent (checked when each would be sent): they end as failed.
 */
export async function setWebhookEndpointEnabled(
  deps: Pick<WebhookEndpointDeps, "db" | "clock">,
  input: { endpointId: string; viewer: WebhookViewer; enabled: boolean; actor: Actor },
): Promise<WebhookEndpointView> {
  const current = await findVisibleWebhookEndpoint(deps.db, input.viewer, input.endpointId);
  const now = deps.clock.now();
  const row = await deps.db.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: input.enabled
        ? // enabled again by a person: the failures that disabled it start counting afresh
          { enabled: true, disabledAt: null, disabledReason: null, consecutiveFailures: 0, updatedAt: now }
        : {
            enabled: false,
            disabledAt: current.disabledAt ?? now,
            disabledReason: current.enabled ? null : current.disabledReason,
            updatedAt: now,
          },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: input.enabled ? "webhook_endpoint.enable" : "webhook_endpoint.disable",
      target: { type: "webhook_endpoint", id: current.id },
      organizationId: current.organizationId,
    });
    return updated;
  });
  return viewOfWebhookEndpoint(row);
}
