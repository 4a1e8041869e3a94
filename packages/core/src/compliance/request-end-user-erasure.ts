import type { Database, DeletionRequest } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { assertOrganizationExists } from "../organizations/assert-organization-exists.ts";
import type { Clock } from "../time/clock.ts";
import { requestDeletion } from "./request-deletion.ts";

/**
 * Opens (or finds the open) erasure of one end user of an organization, as a compliance
 * officer does from the dashboard. There the organization is picked in a form rather than
 * being the caller's own, so an unknown one is reported as such instead of failing on the
 * foreign key.
 */
export async function requestEndUserErasure(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string; endUserId: string; actor: Actor },
): Promise<{ request: DeletionRequest; created: boolean }> {
  await assertOrganizationExists(deps.db, input.organizationId);
  return requestDeletion(deps, {
    organizationId: input.organizationId,
    subjectType: "END_USER",
    subjectId: input.endUserId,
    actor: input.actor,
  });
}
