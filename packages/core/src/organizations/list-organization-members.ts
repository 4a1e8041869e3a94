import type { Database } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "../users/user-view.ts";

/**
 * The people who belong to an organization (its developers), active ones first. With
 * `visibleTo`, another organization's members are reported as not found.
 */
export async function listOrganizationMembers(
  deps: { db: Database },
  input: { organizationId: string; visibleTo?: string | null },
): Promise<UserView[]> {
  if (input.visibleTo != null && input.visibleTo !== input.organizationId) {
    throw new DomainError(
      "not_found",
      `organization ${input.organizationId} does not exist`,
      "organizationId",
    );
  }
  const org = await deps.db.organization.findUnique({
    where: { id: input.organizationId },
    select: {
      users: {
        include: USER_VIEW_INCLUDE,
        orderBy: [{ deactivatedAt: { sort: "asc", nulls: "first" } }, { email: "asc" }],
        take: 500,
      },
    },
  });
  if (!org) {
    throw new DomainError(
      "not_found",
      `organization ${input.organizationId} does not exist`,
      "organizationId",
    );
  }
  return org.users.map(toUserView);
}
