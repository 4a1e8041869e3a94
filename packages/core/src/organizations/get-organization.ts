import type { Database } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import {
  ORGANIZATION_DETAILS_INCLUDE,
  type OrganizationDetails,
  toOrganizationDetails,
} from "./organization-details.ts";

/**
 * One organization's details. With `visibleTo` (a developer's own organization), any other
 * organization is reported as not found, so its existence is not revealed either.
 */
export async function getOrganization(
  deps: { db: Database },
  input: { organizationId: string; visibleTo?: string | null },
): Promise<OrganizationDetails> {
  const org = await deps.db.organization.findFirst({
    where: {
      id: input.organizationId,
      ...(input.visibleTo != null ? { AND: [{ id: input.visibleTo }] } : {}),
    },
    include: ORGANIZATION_DETAILS_INCLUDE,
  });
  if (!org) {
    throw new DomainError(
      "not_found",
      `organization ${input.organizationId} does not exist`,
      "organizationId",
    );
  }
  return toOrganizationDetails(org);
}
