import type { Database } from "@dsc/db";
import type { DeletionRequestFilter } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";

/**
 * Records that a person took the deletion register (whose end users were erased, when, by whom)
 * out of the platform as a file. Written before the browser offers the file, so an export that
 * could not be recorded is not offered. The count is what the browser read.
 */
export async function recordDeletionRegisterExport(
  deps: { db: Database; clock: Clock },
  input: {
    actor: Actor;
    filter: { organizationId?: string; status?: DeletionRequestFilter };
    rows: number;
  },
): Promise<void> {
  const { organizationId, status } = input.filter;
  await recordAuditEvent(deps.db, deps.clock, {
    actor: input.actor,
    action: "deletion_register.exported",
    target: { type: "deletion_register", id: organizationId ?? "all" },
    organizationId: organizationId ?? null,
    metadata: {
      rows: input.rows,
      filter: {
        ...(organizationId !== undefined ? { organizationId } : {}),
        ...(status !== undefined ? { status } : {}),
      },
    },
  });
}
