import type { DeletionRequest, DeletionStatus, DeletionSubjectType } from "@dsc/db";
import { type DeadlineRisk, deadlineRiskOf } from "./deletion-deadlines.ts";

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
  createdAt: Date;
  dueAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  /** null when the request is finished or far from its deadline */
  risk: DeadlineRisk | null;
  /** what was erased, per kind, from the report of a completed request; null before */
  erased: Record<string, number> | null;
}

export function toDeletionRequestView(
  request: DeletionRequest & { organization: { name: string } | null },
  now: Date,
): DeletionRequestView {
  return {
    id: request.id,
    organizationId: request.organizationId,
    organizationName: request.organization?.name ?? null,
    subjectType: request.subjectType,
    subjectId: request.subjectId,
    status: request.status,
    requestedBy: request.requestedBy,
    createdAt: request.createdAt,
    dueAt: request.dueAt,
    startedAt: request.startedAt,
    completedAt: request.completedAt,
    risk: deadlineRiskOf(request, now),
    erased: erasedOf(request.report),
  };
}

/** The report's counts per kind; the report is stored as written, so it is read defensively. */
function erasedOf(report: DeletionRequest["report"]): Record<string, number> | null {
  const erased = (report as { erased?: unknown } | null)?.erased;
  if (!erased || typeof erased !== "object") return null;
  return Object.fromEntries(
    Object.entries(erased).filter((entry): entry is [string, number] => typeof entry[1] === "number"),
  );
}
