import type { Database } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";

/**
 * Fails with not_found when no organization has this id. For the callers that are handed an
 * organization picked in a form (not the caller's own), so that an unknown one is reported as
 * such instead of failing on a foreign key or answering an empty list.
 */
export async function assertOrganizationExists(db: Database, organizationId: string): Promise<void> {
  const organization = await db.organization.findUnique({
    where: { id: organizationId },
    select: { id: true },
  });
  if (!organization) {
    throw new DomainError("not_found", `organization ${organizationId} does not exist`, "organizationId");
  }
}
