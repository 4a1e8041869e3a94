import type { Database, DeletionRequest } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { signOutEverywhere } from "../users/sign-out-everywhere.ts";
import { requestDeletion } from "./request-deletion.ts";

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
 * manage its members after. Admins and compliance officers are erased by compliance, whose
 * rules (the last admin) this does not bypass. Every session of theirs ends: the account is
 * on its way out.
 */
export async function requestAccountErasure(
  deps: { db: Database; clock: Clock },
  input: { userId: string; confirmEmail: string; actor: Actor },
): Promise<AccountErasureRequests> {
  const lonelyOrganizationIds = await organizationsLeftWithNobody(deps.db, input);
  const organizations: DeletionRequest[] = [];
  // the organizations first: opened while the person still belongs to them, so their
  // erasures find the person's keys and files in them whatever the worker does first
  for (const organizationId of lonelyOrganizationIds) {
    const { request } = await requestDeletion(deps, {
      organizationId,
      subjectType: "ORGANIZATION",
      subjectId: organizationId,
      actor: input.actor,
    });
    organizations.push(request);
  }
  const { request: account } = await requestDeletion(deps, {
    organizationId: null,
    subjectType: "ACCOUNT",
    subjectId: input.userId,
    actor: input.actor,
  });
  await signOutEverywhere(deps, { userId: input.userId, actor: input.actor });
  return { account, organizations };
}

/**
 * Checks the person and their confirmation, and returns the organizations whose only member
 * they are; refuses when they are the last owner of an organization others still belong to.
 */
async function organizationsLeftWithNobody(
  db: Database,
  input: { userId: string; confirmEmail: string },
): Promise<string[]> {
  const person = await db.user.findUnique({
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
  const memberships = await db.membership.findMany({
    where: { userId: input.userId },
    select: {
      organizationId: true,
      role: true,
      organization: {
        select: {
          name: true,
          _count: { select: { memberships: true } },
          memberships: { where: { role: "OWNER" }, select: { userId: true } },
        },
      },
    },
    orderBy: { organizationId: "asc" },
  });
  const lonely: string[] = [];
  for (const { organizationId, role, organization } of memberships) {
    if (organization._count.memberships === 1) {
      lonely.push(organizationId);
    } else if (role === "OWNER" && organization.memberships.length === 1) {
      throw new DomainError(
        "conflict",
        `You are the last owner of ${organization.name}, which has other members. Hand ownership over to one of them first (the organization's Members section), then delete your account.`,
      );
    }
  }
  return lonely;
}
