import type { Database, DeletionRequest, Prisma } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { lockMembershipsOf, otherRemainingOwners, peopleBeingErased } from "../users/organization-owners.ts";
import { openDeletionRequest } from "./request-deletion.ts";

export interface AccountErasureRequests {
  /** the erasure of the person's account */
  account: DeletionRequest;
  /** the erasures of the organizations they were the last member of */
  organizations: DeletionRequest[];
}

/**
 * A signed-up person asks for their account to be erased, confirming with their e-mail
 * address. An organization they are the only member of would be left with nobody to run it,
 * so its erasure is opened too; an organization with other members keeps going without them,
 * unless they are its last owner: then they must hand ownership over first, as nobody could
 * manage its members after. Members whose own erasure is already on its way count as gone:
 * two members who each leave a team of two erase the team, and an owner cannot leave it to
 * an owner who is leaving too. All of it is decided and opened under the organizations'
 * member locks, so two such requests at the same moment run one after the other. Admins and
 * compliance officers are erased by compliance, whose rules (the last admin) this does not
 * bypass. The person is deactivated with the request, so that they cannot sign in during the
 * 72 hours before the erasure runs, and every session of theirs ends: the account is on its
 * way out (an admin reactivating them gives them their sign-in back).
 */
export async function requestAccountErasure(
  deps: { db: Database; clock: Clock },
  input: { userId: string; confirmEmail: string; actor: Actor },
): Promise<AccountErasureRequests> {
  return deps.db.$transaction(async (tx) => {
    const lonelyOrganizationIds = await organizationsLeftWithNobody(tx, input);
    const organizations: DeletionRequest[] = [];
    // the organizations first: opened while the person still belongs to them, so their
    // erasures find the person's keys and files in them whatever the worker does first
    for (const organizationId of lonelyOrganizationIds) {
      const { request } = await openDeletionRequest(tx, deps.clock, {
        organizationId,
        subjectType: "ORGANIZATION",
        subjectId: organizationId,
        actor: input.actor,
      });
      organizations.push(request);
    }
    const { request: account } = await openDeletionRequest(tx, deps.clock, {
      organizationId: null,
      subjectType: "ACCOUNT",
      subjectId: input.userId,
      actor: input.actor,
    });
    await deactivateForErasure(tx, deps.clock, {
      userId: input.userId,
      actor: input.actor,
      requestId: account.id,
    });
    return { account, organizations };
  });
}

/**
 * Deactivates the person and ends their sessions (the session epoch too: a reactivation later
 * does not bring an old cookie back), with the request's audit events.
 */
async function deactivateForErasure(
  tx: Prisma.TransactionClient,
  clock: Clock,
  input: { userId: string; actor: Actor; requestId: string },
): Promise<void> {
  const person = await tx.user.update({
    where: { id: input.userId },
    data: { deactivatedAt: clock.now(), sessionEpoch: { increment: 1 } },
    select: { organizationId: true },
  });
  const target = { type: "user", id: input.userId };
  const metadata = { reason: "account erasure requested", deletionRequestId: input.requestId };
  const organizationId = person.organizationId;
  await recordAuditEvent(tx, clock, {
    actor: input.actor,
    action: "user.deactivate",
    target,
    organizationId,
    metadata,
  });
  await recordAuditEvent(tx, clock, {
    actor: input.actor,
    action: "user.sessions.end",
    target,
    organizationId,
    metadata,
  });
}

/**
 * Checks the person and their confirmation, locks their organizations' members, and returns
 * the organizations nobody else would remain in; refuses when they are the last owner of an
 * organization others remain in.
 */
async function organizationsLeftWithNobody(
  tx: Prisma.TransactionClient,
  input: { userId: string; confirmEmail: string },
): Promise<string[]> {
  const person = await tx.user.findUnique({
    where: { id: input.userId },
    select: { email: true, role: true, deactivatedAt: true },
  });
  if (!person || person.deactivatedAt) {
    throw new DomainError("not_found", "Your account does not exist any more.", "userId");
  }
  if (person.role !== "DEVELOPER") {
    throw new DomainError(
      "forbidden",
      "Administrators and compliance officers are erased through a deletion request that a compliance officer opens.",
    );
  }
  if (input.confirmEmail.trim().toLowerCase() !== person.email) {
    throw new DomainError("invalid", "Type your e-mail address exactly as shown to confirm.", "confirmEmail");
  }
  const memberships = await lockMembershipsOf(tx, input.userId);
  const lonely: string[] = [];
  for (const { organizationId, role } of memberships) {
    const others = await tx.membership.findMany({
      where: { organizationId, userId: { not: input.userId } },
      select: { userId: true },
    });
    const leaving = await peopleBeingErased(
      tx,
      others.map((other) => other.userId),
    );
    if (others.every((other) => leaving.has(other.userId))) {
      lonely.push(organizationId);
    } else if (
      role === "OWNER" &&
      (await otherRemainingOwners(tx, { organizationId, userId: input.userId })).length === 0
    ) {
      const organization = await tx.organization.findUniqueOrThrow({
        where: { id: organizationId },
        select: { name: true },
      });
      throw new DomainError(
        "conflict",
        `You are the last owner of ${organization.name}, which has other members. Hand ownership over to one of them first (the organization's Members section), then delete your account.`,
      );
    }
  }
  return lonely;
}
