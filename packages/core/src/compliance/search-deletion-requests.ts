import type { Database, DeletionStatus, Prisma } from "@dsc/db";
import { DELETION_REQUEST_FILTERS, type DeletionRequestFilter } from "@dsc/vocabulary";
import { type CursorPage, pageQuery, pageSize, toCursorPage } from "../paging/cursor-page.ts";
import type { Clock } from "../time/clock.ts";
import { atRiskWhere } from "./deletion-deadlines.ts";
import {
  type DeletionRequestView,
  loadRequesterNames,
  toDeletionRequestView,
} from "./deletion-request-view.ts";

export { DELETION_REQUEST_FILTERS, type DeletionRequestFilter };

export interface SearchDeletionRequestsInput {
  /** one organization's requests; absent = every organization's (admins and compliance only) */
  organizationId?: string;
  status?: DeletionRequestFilter;
  limit?: number;
  /** the id of the last request of the previous page */
  after?: string;
}

export type DeletionRequestPage = CursorPage<DeletionRequestView>;

/** Deletion requests newest first, filtered by organization and status, in pages. */
export async function searchDeletionRequests(
  deps: { db: Database; clock: Clock },
  input: SearchDeletionRequestsInput,
): Promise<DeletionRequestPage> {
  const now = deps.clock.now();
  const limit = pageSize(input.limit);
  const requests = await deps.db.deletionRequest.findMany({
    where: {
      ...(input.organizationId !== undefined ? { organizationId: input.organizationId } : {}),
      ...statusFilter(input.status, now),
    },
    include: { organization: { select: { name: true } } },
    ...pageQuery(limit, input.after),
  });
  const people = await loadRequesterNames(deps.db, requests);
  return toCursorPage(requests, limit, (request) => toDeletionRequestView(request, now, people));
}

function statusFilter(
  status: DeletionRequestFilter | undefined,
  now: Date,
): Prisma.DeletionRequestWhereInput {
  if (status === undefined) return {};
  if (status === "AT_RISK") return atRiskWhere(now);
  return { status: status satisfies DeletionStatus };
}
