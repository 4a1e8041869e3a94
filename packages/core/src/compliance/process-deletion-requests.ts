import { createHash } from "node:crypto";
import type { Database, DeletionRequest, Prisma } from "@dsc/db";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";
import type { SubjectEraser } from "./subject-eraser.ts";

const STALE_CLAIM_MS = 15 * 60_000;
const WORKER = { type: "SYSTEM" as const, id: "compliance", origin: "worker" };

export interface ErasureReport {
  requestId: string;
  subject: { type: string; id: string; organizationId: string };
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
  const subject = {
    organizationId: request.organizationId,
    type: request.subjectType,
    id: request.subjectId,
  };
  const erased: Record<string, number> = {};
  try {
    for (const eraser of deps.erasers) erased[eraser.kind] = await eraser.erase(subject);
  } catch (error) {
    await deps.db.deletionRequest.update({ where: { id: request.id }, data: { status: "FAILED" } });
    await recordAuditEvent(deps.db, deps.clock, {
      actor: WORKER,
      action: "deletion_request.fail",
      target: { type: "deletion_request", id: request.id },
      organizationId: request.organizationId,
      metadata: { error: (error as Error).name, erasedSoFar: erased },
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

/** Open requests within `windowMs` of their deadline, or past it: for alerts. */
export async function findDeletionRequestsAtRisk(
  deps: { db: Database; clock: Clock },
  windowMs = 12 * 3_600_000,
): Promise<DeletionRequest[]> {
  return deps.db.deletionRequest.findMany({
    where: {
      status: { in: ["PENDING", "PROCESSING", "FAILED"] },
      dueAt: { lte: new Date(deps.clock.now().getTime() + windowMs) },
    },
    orderBy: { dueAt: "asc" },
  });
}
