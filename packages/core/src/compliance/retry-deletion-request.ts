import type { Database, DeletionRequest } from "@dsc/db";
import { RETRYABLE_DELETION_STATUSES } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";
import { findDeletionRequestIn } from "./find-deletion-request-in.ts";

/**
 * A compliance officer sends a request that ran out of attempts (or is waiting out its backoff)
 * back to the queue with a fresh count; the next run takes it. Its progress is kept, so the
 * erasure resumes where it stopped.
 */
export async function retryDeletionRequest(
  deps: { db: Database; clock: Clock },
  input: { id: string; actor: Actor },
): Promise<DeletionRequest> {
  return deps.db.$transaction(async (tx) => {
    const request = await findDeletionRequestIn(tx, input.id, RETRYABLE_DELETION_STATUSES, "failed");
    const updated = await tx.deletionRequest.update({
      where: { id: request.id },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: null },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "deletion_request.retry",
      target: { type: "deletion_request", id: request.id },
      organizationId: request.organizationId,
      metadata: {
        from: { status: request.status, attempts: request.attempts, lastError: request.lastError },
      },
    });
    return updated;
  });
}
