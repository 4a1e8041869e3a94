import type { Prisma } from "@dsc/db";
import type { AccessRole, MemberRole } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";

// shared with users/ and compliance/, which change memberships too (roles, erasure)
export {
  assertAnotherOwner,
  assertCanOwn,
  assertOrganizationNotBeingErased,
  lockOrganizationMembers,
} from "../users/organization-owners.ts";

/** The organization's name; another organization is answered as if it did not exist. */
export async function organizationNameOf(
  tx: Prisma.TransactionClient,
  organizationId: string,
): Promise<string> {
  const organization = await tx.organization.findUnique({
    where: { id: organizationId },
    select: { name: true },
  });
  if (!organization) {
    throw new DomainError("not_found", `Organization ${organizationId} does not exist.`, "organizationId");
  }
  return organization.name;
}

/**
 * Admins manage every organization's members; otherwise the actor must be an owner of this
 * one, as the database says now (not as their session remembers it). Run after the lock.
 */
export async function assertManagesMembers(
  tx: Prisma.TransactionClient,
  input: { organizationId: string; actorId: string; actorRole: AccessRole | null },
): Promise<void> {
  if (input.actorRole === "ADMIN") return;
  const role = await memberRoleOf(tx, input.organizationId, input.actorId);
  if (role !== "OWNER") {
    throw new DomainError("forbidden", "Only the organization's owners and admins manage its members.");
  }
}

export async function memberRoleOf(
  tx: Prisma.TransactionClient,
  organizationId: string,
  userId: string,
): Promise<MemberRole | null> {
  const membership = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
    select: { role: true },
  });
  return membership?.role ?? null;
}

/** A member's role, or not_found naming the field at fault. */
export async function requireMember(
  tx: Prisma.TransactionClient,
  input: { organizationId: string; userId: string },
  param = "userId",
): Promise<{ role: MemberRole; name: string | null; email: string; deactivatedAt: Date | null }> {
  const membership = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } },
    select: { role: true, user: { select: { name: true, email: true, deactivatedAt: true } } },
  });
  if (!membership) {
    throw new DomainError("not_found", "This person is not a member of the organization.", param);
  }
  return { role: membership.role, ...membership.user };
}

/**
 * Takes a person out of an organization. When it was the one they worked in, they now work in
 * their oldest other organization, or in none.
 */
export async function dropMembership(
  tx: Prisma.TransactionClient,
  input: { organizationId: string; userId: string },
): Promise<void> {
  await tx.membership.delete({
    where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } },
  });
  const user = await tx.user.findUniqueOrThrow({
    where: { id: input.userId },
    select: { organizationId: true },
  });
  if (user.organizationId !== input.organizationId) return;
  const next = await tx.membership.findFirst({
    where: { userId: input.userId },
    orderBy: [{ createdAt: "asc" }, { organizationId: "asc" }],
    select: { organizationId: true },
  });
  await tx.user.update({
    where: { id: input.userId },
    data: { organizationId: next?.organizationId ?? null },
  });
}

/** How a person is named to others: their name, or their address when they gave none. */
export function displayName(person: { name: string | null; email: string }): string {
  return person.name?.trim() || person.email;
}
