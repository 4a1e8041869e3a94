import type { Database, Prisma } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import type { Actor } from "./actor.ts";

export interface AuditEntry {
  actor: Actor;
  action: string;
  target: { type: string; id: string };
  organizationId?: string | null;
  metadata?: Prisma.InputJsonValue;
}

/**
 * Appends one AuditEvent. Pass the transaction client when the change itself runs in a
 * transaction, so the change and its record land together or not at all.
 */
export async function recordAuditEvent(
  db: Database | Prisma.TransactionClient,
  clock: Clock,
  entry: AuditEntry,
): Promise<void> {
  await db.auditEvent.create({
    data: {
      occurredAt: clock.now(),
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      origin: entry.actor.origin,
      organizationId: entry.organizationId ?? null,
      action: entry.action,
      targetType: entry.target.type,
      targetId: entry.target.id,
      ...(entry.metadata === undefined ? {} : { metadata: entry.metadata }),
    },
  });
}
