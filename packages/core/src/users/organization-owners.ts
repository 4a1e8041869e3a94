import type { Prisma } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";

/**
 * Serialises changes to one organization's members until the transaction ends: two owners
 * demoting each other at the same moment then run one after the other, and the second sees
 * that the first already left one owner. Whoever locks several organizations locks them in
 * the order of their ids, so that two such transactions cannot wait on each other.
 */
export async function lockOrganizationMembers(
  tx: Prisma.TransactionClient,
  organizationId: string,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`dsc_members:${organizationId}`}))::text`;
}

/** The states of an erasure request that is still to run (its subject is on the way out). */
export const OPEN_DELETION_STATUSES = ["PENDING", "PROCESSING", "ON_HOLD", "NEEDS_ATTENTION"] as const;

/**
 * Those of the people who asked for their account's erasure (or had it asked for them) and
 * are still waiting for it: they count as gone already.
 */
export async function peopleBeingErased(
  tx: Prisma.TransactionClient,
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const requests = await tx.deletionRequest.findMany({
    where: {
      subjectType: "ACCOUNT",
      subjectId: { in: [...userIds] },
      status: { in: [...OPEN_DELETION_STATUSES] },
    },
    select: { subjectId: true },
  });
  return new Set(requests.map((request) => request.subjectId));
}

/**
 * The organization's owners other than `userId` who can still run it: active, and not on
 * their way out through an account erasure. Run after the organization's member lock.
 */
export async function otherRemainingOwners(
  tx: Prisma.TransactionClient,
  input: { organizationId: string; userId: string },
): Promise<string[]> {
  const owners = await tx.membership.findMany({
    where: {
      organizationId: input.organizationId,
      role: "OWNER",
      userId: { not: input.userId },
      user: { deactivatedAt: null },
    },
    select: { userId: true },
  });
  const leaving = await peopleBeingErased(
    tx,
    owners.map((owner) => owner.userId),
  );
  return owners.map((owner) => owner.userId).filter((id) => !leaving.has(id));
}

/** Refuses a change that would leave the organization without an owner who can run it. */
export async function assertAnotherOwner(
  tx: Prisma.TransactionClient,
  input: { organizationId: string; userId: string; message: string; param?: string },
): Promise<void> {
  const others = await otherRemainingOwners(tx, input);
  if (others.length === 0) throw new DomainError("conflict", input.message, input.param ?? "userId");
}
