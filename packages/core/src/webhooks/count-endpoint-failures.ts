import type { Prisma } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";

/**
 * Deliveries that may end failed in a row before the endpoint is disabled: each of them was
 * tried for about a day, so the receiver is gone rather than down, and its retries would keep
 * taking the queue's slots from every other endpoint.
 */
export const WEBHOOK_FAILURES_BEFORE_DISABLE = 20;

const deliveryActor: Actor = { type: "SYSTEM", id: "webhook-deliveries", origin: "worker" };

/**
 * Counts how a delivery ended against its endpoint: a success clears the count, a failure adds
 * one, and the failure that reaches the limit disables the endpoint, with the reason shown in the
 * dashboard and an audit event. Runs in the transaction that ends the delivery.
 */
export async function countDeliveryEnd(
  tx: Prisma.TransactionClient,
  clock: Clock,
  endpointId: string,
  succeeded: boolean,
): Promise<{ disabled: boolean }> {
  if (succeeded) {
    await tx.webhookEndpoint.updateMany({
      where: { id: endpointId, consecutiveFailures: { gt: 0 } },
      data: { consecutiveFailures: 0 },
    });
    return { disabled: false };
  }
  const counted = await tx.webhookEndpoint.update({
    where: { id: endpointId },
    data: { consecutiveFailures: { increment: 1 } },
    select: { consecutiveFailures: true, enabled: true, organizationId: true, url: true },
  });
  if (!counted.enabled || counted.consecutiveFailures < WEBHOOK_FAILURES_BEFORE_DISABLE) {
    return { disabled: false };
  }
  const now = clock.now();
  const reason = `disabled after ${counted.consecutiveFailures} failed deliveries in a row`;
  await tx.webhookEndpoint.update({
    where: { id: endpointId },
    data: { enabled: false, disabledAt: now, disabledReason: reason, updatedAt: now },
  });
  await recordAuditEvent(tx, clock, {
    actor: deliveryActor,
    action: "webhook_endpoint.disable",
    target: { type: "webhook_endpoint", id: endpointId },
    organizationId: counted.organizationId,
    metadata: { reason, url: new URL(counted.url).origin },
  });
  return { disabled: true };
}
