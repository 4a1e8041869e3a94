import type { Prisma } from "@dsc/db";
import type { MemberRole } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";

/**
 * Serialises changes to one organization's members until the transaction ends: two owners
 * demoting each other at the same moment then run one after the other, and the second sees
 * that the first already left one owner.
 */
export async function lockOrganizationMembers(
  tx: Prisma.TransactionClient,
  organizationId: string,
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${memberLockName(organizationId)}))::text`;
}

/**
 * The member locks of several organizations, taken in the order of the lock keys themselves
 * (not of the ids, whose hashes may collide or sort otherwise), so that two transactions
 * locking overlapping sets cannot wait on each other.
 */
export async function lockOrganizationsMembers(
  tx: Prisma.TransactionClient,
  organizationIds: readonly string[],
): Promise<void> {
  if (organizationIds.length === 0) return;
  const names = organizationIds.map(memberLockName);
  const keys = await tx.$queryRaw<{ key: number }[]>`
    SELECT DISTINCT hashtext(name) AS key FROM unnest(${names}::text[]) AS name ORDER BY key`;
  for (const { key } of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(${key}::int)::text`;
}

function memberLockName(organizationId: string): string {
  return `dsc_members:${organizationId}`;
}

/**
 * The person's memberships, read under the member locks of all their organizations: read,
 * locked, and read again until no organization appeared in between (an invitation accepted
 * at that moment), so that what the caller decides from them cannot change under it.
 */
export async function lockMembershipsOf(
  tx: Prisma.TransactionClient,
  userId: string,
): Promise<{ organizationId: string; role: MemberRole }[]> {
  const locked = new Set<string>();
  for (;;) {
    const memberships = await tx.membership.findMany({
      where: { userId },
      select: { organizationId: true, role: true },
      orderBy: { organizationId: "asc" },
    });
    const unlocked = memberships.map((m) => m.organizationId).filter((id) => !locked.has(id));
    if (unlocked.length === 0) return memberships;
    await lockOrganizationsMembers(tx, unlocked);
    for (const id of unlocked) locked.add(id);
  }
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

/**
 * Refuses to make an owner of a person who could not run the organization: one whose
 * account's erasure is pending (they would leave it ownerless), or a deactivated one. Run
 * after the member lock.
 */
export async function assertCanOwn(
  tx: Prisma.TransactionClient,
  input: { userId: string; param: string },
): Promise<void> {
  const person = await tx.user.findUnique({
    where: { id: input.userId },
    select: { name: true, email: true, deactivatedAt: true },
  });
  if (!person) throw new DomainError("not_found", "This person does not exist.", input.param);
  const name = person.name?.trim() || person.email;
  if ((await peopleBeingErased(tx, [input.userId])).size > 0) {
    throw new DomainError(
      "invalid",
      `${name} is deleting their account and cannot own the organization.`,
      input.param,
    );
  }
  if (person.deactivatedAt) {
    throw new DomainError("invalid", `${name} is deactivated and cannot own the organization.`, input.param);
  }
}

/** Whether the organization's own erasure is opened and still to run. */
export async function isOrganizationBeingErased(
  tx: Prisma.TransactionClient,
  organizationId: string,
): Promise<boolean> {
  const open = await tx.deletionRequest.findFirst({
    where: {
      organizationId,
      subjectType: "ORGANIZATION",
      subjectId: organizationId,
      status: { in: [...OPEN_DELETION_STATUSES] },
    },
    select: { id: true },
  });
  return open !== null;
}

/** Refuses joining or inviting into an organization whose erasure is on its way. */
export async function assertOrganizationNotBeingErased(
  tx: Prisma.TransactionClient,
  organizationId: string,
): Promise<void> {
  if (await isOrganizationBeingErased(tx, organizationId)) {
    throw new DomainError("conflict", "This organization is being deleted.", "organizationId");
  }
}
