import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import type { Actor } from "./actor.ts";
import { recordAuditEvent } from "./record-audit-event.ts";
import type { AuditEventFilter } from "./search-audit-events.ts";

/**
 * Records that a person took the audit events under a filter out of the platform as a file
 * (the dashboard's CSV export): who did what, and who read which logs, is sensitive in itself.
 * Written before the browser offers the file, so an export that could not be recorded is not
 * offered. The filter is kept as given; the count is what the browser read.
 */
export async function recordAuditLogExport(
  deps: { db: Database; clock: Clock },
  input: { actor: Actor; filter: AuditEventFilter; rows: number },
): Promise<void> {
  const { filter } = input;
  await recordAuditEvent(deps.db, deps.clock, {
    actor: input.actor,
    action: "audit_log.exported",
    target: { type: "audit_log", id: filter.organizationId ?? "all" },
    organizationId: filter.organizationId ?? null,
    metadata: {
      rows: input.rows,
      filter: {
        ...(filter.actorId !== undefined ? { actorId: filter.actorId } : {}),
        ...(filter.action !== undefined ? { action: filter.action } : {}),
        ...(filter.targetType !== undefined ? { targetType: filter.targetType } : {}),
        ...(filter.targetId !== undefined ? { targetId: filter.targetId } : {}),
        ...(filter.organizationId !== undefined ? { organizationId: filter.organizationId } : {}),
        ...(filter.from !== undefined ? { from: filter.from.toISOString() } : {}),
        ...(filter.to !== undefined ? { to: filter.to.toISOString() } : {}),
      },
    },
  });
}
