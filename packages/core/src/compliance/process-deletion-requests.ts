import { createHash } from "node:crypto";
import type { Database, DeletionRequest, Prisma } from "@dsc/db";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { recordErasureStarted } from "../chat-logs/erasure-tombstones.ts";
import { isDomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { MAX_DELETION_ATTEMPTS, retryDelayMs } from "./deletion-attempts.ts";
import { atRiskWhere, NEAR_DEADLINE_MS } from "./deletion-deadlines.ts";
import { holdReasonOf } from "./erasure-hold.ts";
import { type ErasureProgress, progressOf } from "./erasure-progress.ts";
import { type ErasureSubject, ErasureTurnSpent, type SubjectEraser } from "./subject-eraser.ts";

const STALE_CLAIM_MS = 15 * 60_000;
const WORKER = { type: "SYSTEM" as const, id: "compliance", origin: "worker" };
/** Batches one request may run per turn (200,000 rows): a huge erasure yields to the others. */
const BATCHES_PER_TURN = 40;

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

/** What one run did; `needsAttention` counts requests that ran out of attempts in it. */
export interface DeletionRunResult {
  completed: number;
  failed: number;
  needsAttention: number;
  onHold: number;
  /** requests that used up their turn and resume on the next run */
  resumable: number;
  /**
   * requests whose every step is done, waiting until no gateway can hold a copy any more
   * (the response cache's TTL after the purge); they complete on the first run after that
   */
  waiting: number;
}

type Outcome = "completed" | "failed" | "needsAttention" | "onHold" | "resumable" | "waiting";

interface ProcessDeps {
  db: Database;
  clock: Clock;
  erasers: SubjectEraser[];
}

/**
 * Claims due requests (oldest deadline first; several workers never take the same one; each at
 * most once per run) and erases each subject with every eraser, in bounded turns. A failure
 * counts an attempt and puts the request back after a growing delay, so the requests behind it
 * go on; after MAX_DELETION_ATTEMPTS it waits for a person (NEEDS_ATTENTION). An erasure of an
 * organization under a legal hold waits (ON_HOLD) until the hold is lifted or overridden. Once
 * every step is done, a request of which copies may linger out of reach (gateways' in-memory
 * caches) stays PENDING, its progress naming the step it waits in, until they have expired.
 */
export async function processDeletionRequests(
  deps: ProcessDeps,
  options: { limit?: number; batchesPerTurn?: number } = {},
): Promise<DeletionRunResult> {
  const result: DeletionRunResult = {
    completed: 0,
    failed: 0,
    needsAttention: 0,
    onHold: 0,
    resumable: 0,
    waiting: 0,
  };
  const claimed: string[] = [];
  for (let i = 0; i < (options.limit ?? 20); i++) {
    const request = await claimNext(deps, claimed);
    if (!request) break;
    claimed.push(request.id);
    const outcome = await runTurn(deps, request, options.batchesPerTurn ?? BATCHES_PER_TURN);
    result[outcome] += 1;
  }
  return result;
}

async function claimNext(
  deps: { db: Database; clock: Clock },
  claimed: string[],
): Promise<DeletionRequest | null> {
  const now = deps.clock.now();
  const rows = await deps.db.$queryRaw<{ id: string }[]>`
    UPDATE deletion_request
       SET status = 'PROCESSING', claimed_at = ${now}, started_at = COALESCE(started_at, ${now})
     WHERE id = (
       SELECT r.id FROM deletion_request r
        WHERE r.id <> ALL(${claimed}::text[])
          AND ((r.status IN ('PENDING', 'FAILED') AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= ${now}))
           -- a worker that died mid-way left it PROCESSING: take it over after a while
           OR (r.status = 'PROCESSING' AND r.claimed_at < ${new Date(now.getTime() - STALE_CLAIM_MS)})
           -- a held one goes on once its hold is lifted or overridden
           OR (r.status = 'ON_HOLD' AND (r.hold_overridden_at IS NOT NULL OR NOT EXISTS (
                 SELECT 1 FROM organization o WHERE o.id = r.organization_id AND o.legal_hold))))
        ORDER BY r.due_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
    RETURNING id`;
  const id = rows[0]?.id;
  return id ? deps.db.deletionRequest.findUnique({ where: { id } }) : null;
}

async function runTurn(
  deps: ProcessDeps,
  request: DeletionRequest,
  batchesPerTurn: number,
): Promise<Outcome> {
  const holdReason = await holdReasonOf(deps.db, request);
  if (holdReason !== null) {
    await putOnHold(deps, request, holdReason);
    return "onHold";
  }
  const progress = progressOf(request.progress);
  let batches = 0;
  let subject: ErasureSubject;
  try {
    subject = subjectOf(request);
    // before any step: writers holding the subject's turns drop them from now on
    await recordErasureStarted(deps.db, subject, deps.clock.now());
    for (const eraser of deps.erasers) {
      const before = progress.steps[eraser.kind];
      if (before?.done) continue;
      const start = before?.erased ?? 0;
      const turn = {
        takeBatch: () => ++batches <= batchesPerTurn,
        recordBatch: async (erasedSoFar: number) => {
          progress.steps[eraser.kind] = { erased: start + erasedSoFar, done: false };
          await saveProgress(deps.db, request.id, progress);
        },
      };
      const erased = await eraser.erase(subject, turn);
      progress.steps[eraser.kind] = { erased: start + erased, done: true };
      await saveProgress(deps.db, request.id, progress);
    }
    const waitUntil = await waitForLingeringCopies(deps, subject, progress);
    if (waitUntil) {
      await deps.db.deletionRequest.update({
        where: { id: request.id },
        data: {
          status: "PENDING",
          nextAttemptAt: waitUntil,
          progress: progress as unknown as Prisma.InputJsonValue,
        },
      });
      return "waiting";
    }
  } catch (error) {
    if (error instanceof ErasureTurnSpent) {
      await deps.db.deletionRequest.update({ where: { id: request.id }, data: { status: "PENDING" } });
      return "resumable";
    }
    return recordFailure(deps, request, error, progress);
  }
  await complete(deps, request, subject, progress);
  return "completed";
}

/**
 * Records on `progress` the steps that wait for copies out of the erasers' reach to expire,
 * done or not; returns the time the request must wait until, or null when it may complete.
 */
async function waitForLingeringCopies(
  deps: ProcessDeps,
  subject: ErasureSubject,
  progress: ErasureProgress,
): Promise<Date | null> {
  const now = deps.clock.now();
  let waitUntil: Date | null = null;
  for (const eraser of deps.erasers) {
    const linger = await eraser.lingersUntil?.(subject);
    if (!linger) continue;
    const isOver = linger.until <= now;
    progress.steps[linger.step] = { erased: 0, done: isOver, until: linger.until.toISOString() };
    if (!isOver && (waitUntil === null || linger.until > waitUntil)) waitUntil = linger.until;
  }
  return waitUntil;
}

function saveProgress(db: Database, id: string, progress: ErasureProgress) {
  return db.deletionRequest.update({
    where: { id },
    data: { progress: progress as unknown as Prisma.InputJsonValue },
  });
}

async function putOnHold(deps: ProcessDeps, request: DeletionRequest, reason: string) {
  await deps.db.$transaction(async (tx) => {
    await tx.deletionRequest.update({
      where: { id: request.id },
      data: { status: "ON_HOLD", holdReason: reason },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: WORKER,
      action: "deletion_request.hold",
      target: { type: "deletion_request", id: request.id },
      organizationId: request.organizationId,
      metadata: {},
    });
  });
}

async function recordFailure(
  deps: ProcessDeps,
  request: DeletionRequest,
  error: unknown,
  progress: ErasureProgress,
): Promise<Outcome> {
  // the kind and domain code only: messages may name the subject
  const kind = (error as Error).name;
  const code = isDomainError(error) ? error.code : undefined;
  const attempts = request.attempts + 1;
  const isExhausted = attempts >= MAX_DELETION_ATTEMPTS;
  const now = deps.clock.now();
  await deps.db.$transaction(async (tx) => {
    await tx.deletionRequest.update({
      where: { id: request.id },
      data: {
        status: isExhausted ? "NEEDS_ATTENTION" : "FAILED",
        attempts,
        nextAttemptAt: isExhausted ? null : new Date(now.getTime() + retryDelayMs(attempts)),
        lastError: code ? `${kind}: ${code}` : kind,
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: WORKER,
      action: isExhausted ? "deletion_request.needs_attention" : "deletion_request.fail",
      target: { type: "deletion_request", id: request.id },
      organizationId: request.organizationId,
      metadata: {
        error: kind,
        ...(code ? { code } : {}),
        attempts,
        erasedSoFar: Object.fromEntries(Object.entries(progress.steps).map(([k, step]) => [k, step.erased])),
      },
    });
  });
  return isExhausted ? "needsAttention" : "failed";
}

async function complete(
  deps: ProcessDeps,
  request: DeletionRequest,
  subject: ErasureSubject,
  progress: ErasureProgress,
) {
  const erased = Object.fromEntries(deps.erasers.map((e) => [e.kind, progress.steps[e.kind]?.erased ?? 0]));
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
        nextAttemptAt: null,
        progress: progress as unknown as Prisma.InputJsonValue,
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
