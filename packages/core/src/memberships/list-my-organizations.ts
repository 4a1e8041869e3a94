import type { Database } from "@dsc/db";
import type { MemberRole } from "@dsc/vocabulary";

export interface MyOrganization {
  organizationId: string;
  name: string;
  role: MemberRole;
  /** the one the person works in now */
  current: boolean;
}

/** The organizations a person belongs to, by name, with their role in each. */
export async function listMyOrganizations(
  deps: { db: Database },
  input: { userId: string; currentOrganizationId: string | null },
): Promise<MyOrganization[]> {
  const memberships = await deps.db.membership.findMany({
    where: { userId: input.userId },
    select: { organizationId: true, role: true, organization: { select: { name: true } } },
    orderBy: [{ organization: { name: "asc" } }, { organizationId: "asc" }],
  });
  return memberships.map((membership) => ({
    organizationId: membership.organizationId,
    name: membership.organization.name,
    role: membership.role,
    current: membership.organizationId === input.currentOrganizationId,
  }));
}
