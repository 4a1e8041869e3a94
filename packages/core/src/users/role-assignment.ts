import type { Prisma } from "@dsc/db";
import type { Role } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";

/**
 * The organization a person given this role joins: a developer needs one to work in; admins
 * and compliance officers see every organization and belong to none.
 */
export async function organizationForRole(
  tx: Prisma.TransactionClient,
  role: Role,
  organizationId: string | null | undefined,
): Promise<string | null> {
  if (role !== "DEVELOPER") return null;
  if (!organizationId) {
    throw new DomainError("invalid", "A developer must belong to an organization.", "organizationId");
  }
  const organization = await tx.organization.findUnique({
    where: { id: organizationId },
    select: { id: true },
  });
  if (!organization) {
    throw new DomainError("invalid", `Organization ${organizationId} does not exist.`, "organizationId");
  }
  return organization.id;
}

/**
 * Refuses a change that would leave no active admin. Locks the active admins' rows first, so
 * two admins demoting each other at the same moment cannot both succeed.
 */
export async function assertAnotherActiveAdmin(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  const admins = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "user" WHERE role = 'ADMIN' AND deactivated_at IS NULL FOR UPDATE`;
  if (!admins.some((admin) => admin.id !== userId)) {
    throw new DomainError("conflict", "At least one active admin must remain.", "userId");
  }
}
