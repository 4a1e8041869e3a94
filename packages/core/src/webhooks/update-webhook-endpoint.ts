import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { checkWebhookDescription } from "./create-webhook-endpoint.ts";
import { parseWebhookUrl, resolveWebhookHost, systemHostLookup } from "./webhook-address-policy.ts";
import type { WebhookEndpointDeps } from "./webhook-deps.ts";
import {
  findVisibleWebhookEndpoint,
  viewOfWebhookEndpoint,
  type WebhookEndpointView,
  type WebhookViewer,
} from "./webhook-endpoint-view.ts";
import { checkSubscribedEventTypes } from "./webhook-event-types.ts";

export interface UpdateWebhookEndpointInput {
  endpointId: string;
  viewer: WebhookViewer;
  url?: string | undefined;
  description?: string | undefined;
  eventTypes?: readonly string[] | undefined;
  actor: Actor;
}

/** Changes an endpoint's URL, description or event types; deliveries already made keep theirs. */
export async function updateWebhookEndpoint(
  deps: WebhookEndpointDeps,
  input: UpdateWebhookEndpointInput,
): Promise<WebhookEndpointView> {
  const current = await findVisibleWebhookEndpoint(deps.db, input.viewer, input.endpointId);
  const data: { url?: string; description?: string; eventTypes?: string[] } = {};
  if (input.url !== undefined) {
    const url = parseWebhookUrl(input.url.trim(), deps.addressPolicy);
    // with private addresses allowed there is nothing to refuse, so nothing to resolve
    if (!deps.addressPolicy.allowPrivate)
      await resolveWebhookHost(url, deps.addressPolicy, deps.lookup ?? systemHostLookup);
    data.url = url.href;
  }
  if (input.description !== undefined) data.description = checkWebhookDescription(input.description);
  if (input.eventTypes !== undefined)
    data.eventTypes = checkSubscribedEventTypes(input.eventTypes, current.organizationId);
  const row = await deps.db.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: { ...data, updatedAt: deps.clock.now() },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "webhook_endpoint.update",
      target: { type: "webhook_endpoint", id: current.id },
      organizationId: current.organizationId,
      metadata: {
        changed: Object.keys(data),
        ...(data.url === undefined ? {} : { url: new URL(data.url).origin }),
        ...(data.eventTypes === undefined ? {} : { eventTypes: data.eventTypes }),
      },
    });
    return updated;
  });
  return viewOfWebhookEndpoint(row);
}
