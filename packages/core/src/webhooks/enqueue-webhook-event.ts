import { type WebhookEventInput, WebhookEventSchema } from "@dsc/api-client";
import type { Database, Prisma } from "@dsc/db";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";

/** An event to send, and to whom. */
export type WebhookEventToSend = WebhookEventInput & {
  /**
   * whose endpoints receive it besides the platform's (which receive every organization's
   * events they subscribe to); null: the platform's only
   */
  organizationId: string | null;
  /**
   * for events that must go out once (a threshold in a month, a credential's coming expiry): a
   * second event with the same key, from this run or any later one, sends nothing
   */
  onceKey?: string | undefined;
};

export interface EnqueuedWebhookEvent {
  /** null when the once-key had been used already, so nothing was enqueued */
  eventId: string | null;
  deliveries: number;
}

/**
 * Writes one delivery per enabled endpoint subscribed to the event (the organization's and the
 * platform's), in one transaction with the event's once-key. The rows are the outbox: the
 * worker's `webhook.dispatch` hands them to pg-boss, which sends, retries and backs off.
 *
 * The payload is parsed with the contract's schema, which drops any field it does not name, so
 * nothing but ids, figures and times is ever sent. The model deployments' circuit breaker calls
 * this with `deployment.breaker_opened` when a breaker opens.
 */
export async function enqueueWebhookEvent(
  deps: { db: Database; clock: Clock },
  event: WebhookEventToSend,
): Promise<EnqueuedWebhookEvent> {
  const now = deps.clock.now();
  const eventId = newId("webhookEvent");
  const payload = WebhookEventSchema.parse({
    id: eventId,
    type: event.type,
    timestamp: now.toISOString(),
    data: event.data,
  });
  return deps.db.$transaction(async (tx) => {
    if (event.onceKey !== undefined) {
      const claimed = await tx.webhookEventOnce.createMany({
        data: [{ key: event.onceKey, eventId, createdAt: now }],
        skipDuplicates: true,
      });
      if (claimed.count === 0) return { eventId: null, deliveries: 0 };
    }
    const endpoints = await tx.webhookEndpoint.findMany({
      where: {
        enabled: true,
        eventTypes: { has: event.type },
        OR: [
          { organizationId: null },
          ...(event.organizationId ? [{ organizationId: event.organizationId }] : []),
        ],
      },
      select: { id: true },
    });
    const written = await writeDeliveries(
      tx,
      now,
      eventId,
      payload,
      endpoints.map((endpoint) => endpoint.id),
    );
    return { eventId, deliveries: written };
  });
}

/** One pending delivery of the payload per endpoint. */
export async function writeDeliveries(
  tx: Prisma.TransactionClient,
  now: Date,
  eventId: string,
  payload: { type: string },
  endpointIds: readonly string[],
): Promise<number> {
  if (endpointIds.length === 0) return 0;
  const { count } = await tx.webhookDelivery.createMany({
    data: endpointIds.map((endpointId) => ({
      id: newId("webhookDelivery"),
      endpointId,
      eventId,
      eventType: payload.type,
      payload: payload as Prisma.InputJsonValue,
      createdAt: now,
      updatedAt: now,
    })),
    skipDuplicates: true,
  });
  return count;
}
