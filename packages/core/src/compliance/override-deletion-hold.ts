import type { Database, DeletionRequest } from "@dsc/db";
import { HOLD_OVERRIDABLE_DELETION_STATUSES } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";
import { findDeletionRequestIn } from "./find-deletion-request-in.ts";

/**
 * A compliance officer lets one held erasure proceed while the organization's legal hold stays
 * on (e.g. counsel found the subject outside the matter). Only this request is released; the
 * decision is audited with the hold's reason, and the next run erases.
 */
export async function overrideDeletionHold(
  deps: { db: Database; clock: Clock },
  input: { id: string; actor: Actor },
): Promise<DeletionRequest> {
  return deps.db.$transaction(async (tx) => {
    const request = await findDeletionRequestIn(tx, input.id, HOLD_OVERRIDABLE_DELETION_STATUSES, "on hold");
    const updated = await tx.deletionRequest.update({
      where: { id: request.id },
      data: {
        status: "PENDING",
        holdOverriddenAt: deps.clock.now(),
        holdOverriddenBy: `${input.actor.type.toLowerCase()}:${input.actor.id}`,
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "deletion_request.override_hold",
      target: { type: "deletion_request", id: request.id },
      organizationId: request.organizationId,
      metadata: { holdReason: request.holdReason },
    });
    return updated;
  });
}
