import { WebhookEventSchema } from "@dsc/api-client";
import { WEBHOOK_TEST_EVENT_TYPE } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import { writeDeliveries } from "./enqueue-webhook-event.ts";
import type { WebhookEndpointDeps } from "./webhook-deps.ts";
import { findVisibleWebhookEndpoint, type WebhookViewer } from "./webhook-endpoint-view.ts";

/** One test event per endpoint this often: each is a request the platform makes to the URL. */
export const TEST_EVENT_INTERVAL_MS = 10_000;

/** Queues a `webhook.test` event for one endpoint, whatever it subscribes to. */
export async function sendTestWebhookEvent(
  deps: Pick<WebhookEndpointDeps, "db" | "clock">,
  input: { endpointId: string; viewer: WebhookViewer; actor: Actor },
): Promise<{ eventId: string }> {
  const endpoint = await findVisibleWebhookEndpoint(deps.db, input.viewer, input.endpointId);
  if (!endpoint.enabled) {
    throw new DomainError(
      "conflict",
      "the endpoint is disabled: enable it to send a test event",
      "endpointId",
    );
  }
  const now = deps.clock.now();
  const recent = await deps.db.webhookDelivery.findFirst({
    where: {
      endpointId: endpoint.id,
      eventType: WEBHOOK_TEST_EVENT_TYPE,
      createdAt: { gt: new Date(now.getTime() - TEST_EVENT_INTERVAL_MS) },
    },
    select: { id: true },
  });
  if (recent) {
    throw new DomainError(
      "rate_limited",
      `a test event was sent to this endpoint less than ${TEST_EVENT_INTERVAL_MS / 1_000} seconds ago: wait a little`,
      "endpointId",
    );
  }
  const eventId = newId("webhookEvent");
  const payload = WebhookEventSchema.parse({
    id: eventId,
    type: "webhook.test",
    timestamp: now.toISOString(),
    data: { endpoint_id: endpoint.id },
  });
  await deps.db.$transaction(async (tx) => {
    await writeDeliveries(tx, now, eventId, payload, [endpoint.id]);
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "webhook_endpoint.send_test",
      target: { type: "webhook_endpoint", id: endpoint.id },
      organizationId: endpoint.organizationId,
      metadata: { eventId },
    });
  });
  return { eventId };
}
