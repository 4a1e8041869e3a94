import type { Database } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import {
  type DeletionRequestView,
  loadRequesterNames,
  toDeletionRequestView,
} from "./deletion-request-view.ts";

/** One request with the report the worker wrote when it finished (null until then). */
export interface DeletionRequestReport extends DeletionRequestView {
  /** how many items of each kind were erased, e.g. { chat_logs: 3, files: 1 } */
  erased: Record<string, number> | null;
  /** SHA-256 (hex) of the report as the worker wrote it, kept as evidence of what was erased */
  reportSha256: string | null;
  /** finished after its deadline */
  isLate: boolean;
}

/**
 * A deletion request and its erasure report. With `organizationId`, a request of another
 * organization is not found, as if it did not exist.
 */
export async function getDeletionRequestReport(
  deps: { db: Database; clock: Clock },
  input: { id: string; organizationId?: string | null },
): Promise<DeletionRequestReport> {
  const request = await deps.db.deletionRequest.findFirst({
    where: {
      id: input.id,
      ...(input.organizationId != null ? { organizationId: input.organizationId } : {}),
    },
    include: { organization: { select: { name: true } } },
  });
  if (!request) throw new DomainError("not_found", `No deletion request with id '${input.id}'.`, "id");
  return {
    ...toDeletionRequestView(request, deps.clock.now(), await loadRequesterNames(deps.db, [request])),
    reportSha256: request.reportSha256,
    isLate: request.completedAt !== null && request.completedAt > request.dueAt,
  };
}
