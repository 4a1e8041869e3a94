import type { Database } from "@dsc/db";
import type { MemberRole } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "../users/user-view.ts";

/** A person as a member of one organization: their role there and since when. */
export interface OrganizationMember extends UserView {
  memberRole: MemberRole;
  joinedAt: Date;
}

/**
 * The people who belong to an organization, with their role in it, active ones first. With
 * `visibleTo`, another organization's members are reported as not found.
 */
export async function listOrganizationMembers(
  deps: { db: Database },
  input: { organizationId: string; visibleTo?: string | null },
): Promise<OrganizationMember[]> {
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
      memberships: {
        include: { user: { include: USER_VIEW_INCLUDE } },
        orderBy: [{ user: { deactivatedAt: { sort: "asc", nulls: "first" } } }, { user: { email: "asc" } }],
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
  return org.memberships.map((membership) => ({
    ...toUserView(membership.user),
    memberRole: membership.role,
    joinedAt: membership.createdAt,
  }));
}
