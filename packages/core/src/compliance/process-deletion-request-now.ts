import type { Database, DeletionRequest } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { erasureWaitOf } from "./erasure-progress.ts";
import { findDeletionRequestIn } from "./find-deletion-request-in.ts";

/** What "process now" may hurry: a request waiting for its turn, or for its backoff to end. */
const HURRIABLE = ["PENDING", "FAILED"] as const;

/**
 * Whether "process now" can hurry the request: one waiting for its turn or a retry's backoff,
 * and not one whose every step is done and that waits only for cached copies to expire. The
 * one rule for the mutation and for the dashboard's button (on each request's view).
 */
export function canProcessDeletionRequestNow(request: Pick<DeletionRequest, "status" | "progress">): boolean {
  return (HURRIABLE as readonly string[]).includes(request.status) && erasureWaitOf(request) === null;
}

/** How often the worker's erasure job runs: a request made due now is taken within this. */
export const DELETION_RUN_INTERVAL_MS = 60_000;

/**
 * Makes a request due at once: the worker's next run (every minute) claims it, oldest deadline
 * first, through the same claim as every other request, so that no two processes ever erase
 * the same subject at once. The dashboard does not run the erasure itself: it has neither the
 * response cache nor the gateways' purge broadcast that a complete erasure needs. A failed
 * request keeps its count of attempts (Retry is what starts a fresh count). Audited.
 */
export async function processDeletionRequestNow(
  deps: { db: Database; clock: Clock },
  input: { id: string; actor: Actor },
): Promise<{ id: string; status: string; dueBy: Date }> {
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const request = await findDeletionRequestIn(tx, input.id, HURRIABLE, "waiting for the worker");
    const wait = erasureWaitOf(request);
    if (wait) {
      throw new DomainError(
        "conflict",
        `Every step of this erasure is done; it completes once cached copies expire at ${wait.until.toISOString()}, and processing it sooner cannot change that.`,
        "id",
      );
    }
    // a worker may have claimed it since it was read: then it is being processed already
    const { count } = await tx.deletionRequest.updateMany({
      where: { id: request.id, status: { in: [...HURRIABLE] } },
      data: { nextAttemptAt: null },
    });
    if (count === 0) {
      throw new DomainError("conflict", `deletion request ${request.id} is being processed now`, "id");
    }
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "deletion_request.process_now",
      target: { type: "deletion_request", id: request.id },
      organizationId: request.organizationId,
      metadata: {
        from: { status: request.status, nextAttemptAt: request.nextAttemptAt?.toISOString() ?? null },
      },
    });
    return {
      id: request.id,
      status: request.status,
      dueBy: new Date(now.getTime() + DELETION_RUN_INTERVAL_MS),
    };
  });
}
