import type { Database, DeletionRequest, DeletionStatus, DeletionSubjectType, Prisma } from "@dsc/db";
import { type DeadlineRisk, deadlineRiskOf } from "./deletion-deadlines.ts";
import { type ErasureWait, erasureWaitOf } from "./erasure-progress.ts";
import { canProcessDeletionRequestNow } from "./process-deletion-request-now.ts";

/** A deletion request as the dashboard shows it, with its deadline flag worked out. */
export interface DeletionRequestView {
  id: string;
  /** null for the account of a person who belongs to no organization */
  organizationId: string | null;
  organizationName: string | null;
  subjectType: DeletionSubjectType;
  /** the end-user id, the organization id, or the dashboard user id */
  subjectId: string;
  status: DeletionStatus;
  /** who opened it, e.g. "user:usr_…", "api_key:key_…", "system:cli" */
  requestedBy: string;
  /** the person's name (else e-mail address) when a dashboard person opened it; null otherwise */
  requestedByName: string | null;
  createdAt: Date;
  dueAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  /** null when the request is finished or far from its deadline */
  risk: DeadlineRisk | null;
  /** what was erased, per kind, from the report of a completed request; null before */
  erased: Record<string, number> | null;
  /** every step done, what it waits for before it completes (gateways' cached answers to expire) */
  waiting: ErasureWait | null;
  /** whether "process now" can hurry it (processDeletionRequestNow's own rule) */
  canProcessNow: boolean;
}

export function toDeletionRequestView(
  request: DeletionRequest & { organization: { name: string } | null },
  now: Date,
  /** people by id, for the requester's name */
  people: ReadonlyMap<string, string> = new Map(),
): DeletionRequestView {
  return {
    id: request.id,
    organizationId: request.organizationId,
    organizationName: request.organization?.name ?? null,
    subjectType: request.subjectType,
    subjectId: request.subjectId,
    status: request.status,
    requestedBy: request.requestedBy,
    requestedByName: people.get(requesterUserId(request.requestedBy) ?? "") ?? null,
    createdAt: request.createdAt,
    dueAt: request.dueAt,
    startedAt: request.startedAt,
    completedAt: request.completedAt,
    risk: deadlineRiskOf(request, now),
    erased: erasedCounts(request.report),
    waiting: erasureWaitOf(request),
    canProcessNow: canProcessDeletionRequestNow(request),
  };
}

/** The dashboard person's id in a `requestedBy` of "user:usr_…"; null for other requesters. */
export function requesterUserId(requestedBy: string): string | null {
  return requestedBy.startsWith("user:") ? requestedBy.slice("user:".length) : null;
}

/** The counts of a stored ErasureReport; anything else in the JSON is not shown. */
function erasedCounts(report: Prisma.JsonValue): Record<string, number> | null {
  if (!report || typeof report !== "object" || Array.isArray(report)) return null;
  const erased = report.erased;
  if (!erased || typeof erased !== "object" || Array.isArray(erased)) return null;
  const counts: Record<string, number> = {};
  for (const [kind, count] of Object.entries(erased)) {
    if (typeof count === "number") counts[kind] = count;
  }
  return counts;
}

/** The names (else e-mail addresses) of the people who opened these requests, in one query. */
export async function loadRequesterNames(
  db: Database,
  requests: readonly { requestedBy: string }[],
): Promise<Map<string, string>> {
  const ids = [...new Set(requests.flatMap((request) => requesterUserId(request.requestedBy) ?? []))];
  if (ids.length === 0) return new Map();
  const people = await db.user.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, email: true },
  });
  return new Map(people.map((person) => [person.id, person.name ?? person.email]));
}
