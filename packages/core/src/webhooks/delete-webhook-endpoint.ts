import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { WebhookEndpointDeps } from "./webhook-deps.ts";
import { findVisibleWebhookEndpoint, type WebhookViewer } from "./webhook-endpoint-view.ts";

/** Deletes an endpoint with its deliveries and their attempts; queued jobs then find nothing. */
export async function deleteWebhookEndpoint(
  deps: Pick<WebhookEndpointDeps, "db" | "clock">,
  input: { endpointId: string; viewer: WebhookViewer; actor: Actor },
): Promise<{ deleted: string }> {
  const current = await findVisibleWebhookEndpoint(deps.db, input.viewer, input.endpointId);
  await deps.db.$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id: current.id } });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "webhook_endpoint.delete",
      target: { type: "webhook_endpoint", id: current.id },
      organizationId: current.organizationId,
      metadata: { url: new URL(current.url).origin },
    });
  });
  return { deleted: current.id };
}
