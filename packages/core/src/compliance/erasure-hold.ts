import type { Database, DeletionRequest } from "@dsc/db";
import { getLegalHold } from "../organizations/legal-hold.ts";

/**
 * Why a request's erasure must wait, or null when it may go on. A legal hold keeps an
 * organization's logs and files, so the erasure of the organization or one of its end users
 * waits, unless a compliance officer overrode the hold for this request. A dashboard account
 * holds no logs or files, so its erasure never waits.
 */
export async function holdReasonOf(
  db: Database,
  request: Pick<DeletionRequest, "subjectType" | "organizationId" | "holdOverriddenAt">,
): Promise<string | null> {
  if (request.subjectType === "ACCOUNT" || request.organizationId === null) return null;
  if (request.holdOverriddenAt !== null) return null;
  const hold = await getLegalHold({ db }, { organizationId: request.organizationId });
  if (!hold.isOnHold) return null;
  return hold.reason ?? "the organization is under a legal hold";
}
