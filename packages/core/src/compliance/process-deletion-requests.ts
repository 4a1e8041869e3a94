import { createHash } from "node:crypto";
import type { Database, DeletionRequest, Prisma } from "@dsc/db";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { isDomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { atRiskWhere, NEAR_DEADLINE_MS } from "./deletion-deadlines.ts";
import type { ErasureSubject, SubjectEraser } from "./subject-eraser.ts";

const STALE_CLAIM_MS = 15 * 60_000;
const WORKER = { type: "SYSTEM" as const, id: "compliance", origin: "worker" };

export interface ErasureReport {
  requestId: string;
  /** organizationId is null only for the account of a person who belongs to none */
  subject: { type: string; id: string; organizationId: string | null };
  requestedAt: string;
  dueAt: string;
  startedAt: string;
  completedAt: string;
  erased: Record<string, number>;
}

/**
 * Claims due requests (oldest deadline first; several workers never take the same one) and
 * erases each subject with every eraser. A failure marks the request FAILED with the error
 * kind only; a later run retries failed requests that are still before their deadline.
 */
export async function processDeletionRequests(
  deps: { db: Database; clock: Clock; erasers: SubjectEraser[] },
  options: { limit?: number } = {},
): Promise<{ completed: number; failed: number }> {
  let completed = 0;
  let failed = 0;
  for (let i = 0; i < (options.limit ?? 20); i++) {
    const request = await claimNext(deps);
    if (!request) break;
    if (await eraseSubject(deps, request)) completed += 1;
    else failed += 1;
  }
  return { completed, failed };
}

async function claimNext(deps: { db: Database; clock: Clock }): Promise<DeletionRequest | null> {
  const rows = await deps.db.$queryRaw<{ id: string }[]>`
    UPDATE deletion_request SET status = 'PROCESSING', started_at = ${deps.clock.now()}
     WHERE id = (
       SELECT id FROM deletion_request
        WHERE status IN ('PENDING', 'FAILED')
           -- a worker that died mid-way left it PROCESSING: take it over after a while
           OR (status = 'PROCESSING' AND started_at < ${new Date(deps.clock.now().getTime() - STALE_CLAIM_MS)})
        ORDER BY due_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  const id = rows[0]?.id;
  return id ? deps.db.deletionRequest.findUnique({ where: { id } }) : null;
}

async function eraseSubject(
  deps: { db: Database; clock: Clock; erasers: SubjectEraser[] },
  request: DeletionRequest,
): Promise<boolean> {
  const erased: Record<string, number> = {};
  let subject: ErasureSubject;
  try {
    subject = subjectOf(request);
    for (const eraser of deps.erasers) erased[eraser.kind] = await eraser.erase(subject);
  } catch (error) {
    await deps.db.deletionRequest.update({ where: { id: request.id }, data: { status: "FAILED" } });
    await recordAuditEvent(deps.db, deps.clock, {
      actor: WORKER,
      action: "deletion_request.fail",
      target: { type: "deletion_request", id: request.id },
      organizationId: request.organizationId,
      // the kind and domain code only: messages may name the subject
      metadata: {
        error: (error as Error).name,
        ...(isDomainError(error) ? { code: error.code } : {}),
        erasedSoFar: erased,
      },
    });
    return false;
  }
  const completedAt = deps.clock.now();
  const report: ErasureReport = {
    requestId: request.id,
    subject: { type: subject.type, id: subject.id, organizationId: subject.organizationId },
    requestedAt: request.createdAt.toISOString(),
    dueAt: request.dueAt.toISOString(),
    startedAt: (request.startedAt ?? completedAt).toISOString(),
    completedAt: completedAt.toISOString(),
    erased,
  };
  const reportSha256 = createHash("sha256").update(JSON.stringify(report)).digest("hex");
  await deps.db.$transaction(async (tx) => {
    await tx.deletionRequest.update({
      where: { id: request.id },
      data: {
        status: "COMPLETED",
        completedAt,
        report: report as unknown as Prisma.InputJsonValue,
        reportSha256,
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: WORKER,
      action: "deletion_request.complete",
      target: { type: "deletion_request", id: request.id },
      organizationId: request.organizationId,
      metadata: { erased, reportSha256, late: completedAt > request.dueAt },
    });
  });
  return true;
}

/** The subject a stored request names; only an account may have no organization. */
function subjectOf(request: DeletionRequest): ErasureSubject {
  const { subjectType: type, subjectId: id, organizationId } = request;
  if (type === "ACCOUNT") return { type, organizationId, id };
  if (organizationId === null) throw new Error(`deletion request ${request.id} names no organization`);
  return { type, organizationId, id };
}

/** Open requests within `windowMs` of their deadline, or past it: for alerts. */
export async function findDeletionRequestsAtRisk(
  deps: { db: Database; clock: Clock },
  windowMs = NEAR_DEADLINE_MS,
): Promise<DeletionRequest[]> {
  return deps.db.deletionRequest.findMany({
    where: atRiskWhere(deps.clock.now(), windowMs),
    orderBy: { dueAt: "asc" },
  });
}
