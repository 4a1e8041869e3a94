import type { Database, DeletionRequest, DeletionSubjectType } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";

/** GDPR art. 12(3) allows a month; the product promises 72 hours. */
export const ERASURE_DEADLINE_MS = 72 * 3_600_000;

/**
 * Opens an erasure request, due 72 hours from now. While one is pending or running for the
 * same subject, that one is returned instead (the call is idempotent).
 */
export async function requestDeletion(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string; subjectType: DeletionSubjectType; subjectId: string; actor: Actor },
): Promise<{ request: DeletionRequest; created: boolean }> {
  const subjectId = input.subjectId.trim();
  if (subjectId.length === 0 || subjectId.length > 256) {
    throw new DomainError("invalid", "the subject id must be 1 to 256 characters", "id");
  }
  return deps.db.$transaction(async (tx) => {
    // serialise concurrent requests for one subject, so only one is opened
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`${input.organizationId}:${input.subjectType}:${subjectId}`}))`;
    const open = await tx.deletionRequest.findFirst({
      where: {
        organizationId: input.organizationId,
        subjectType: input.subjectType,
        subjectId,
        status: { in: ["PENDING", "PROCESSING"] },
      },
    });
    if (open) return { request: open, created: false };
    const now = deps.clock.now();
    const request = await tx.deletionRequest.create({
      data: {
        id: newId("deletionRequest"),
        organizationId: input.organizationId,
        subjectType: input.subjectType,
        subjectId,
        requestedBy: `${input.actor.type.toLowerCase()}:${input.actor.id}`,
        createdAt: now,
        dueAt: new Date(now.getTime() + ERASURE_DEADLINE_MS),
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "deletion_request.create",
      target: { type: "deletion_request", id: request.id },
      organizationId: input.organizationId,
      metadata: { subjectType: input.subjectType, dueAt: request.dueAt.toISOString() },
    });
    return { request, created: true };
  });
}

/** One of the organization's requests; another organization's id is not found. */
export async function getDeletionRequest(
  deps: { db: Database },
  input: { organizationId: string; id: string },
): Promise<DeletionRequest> {
  const request = await deps.db.deletionRequest.findFirst({
    where: { id: input.id, organizationId: input.organizationId },
  });
  if (!request) throw new DomainError("not_found", `No deletion request with id '${input.id}'.`, "id");
  return request;
}
