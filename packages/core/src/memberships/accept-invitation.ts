import type { AccountToken, Database, Prisma } from "@dsc/db";
import type { MemberRole, SignupPolicy } from "@dsc/vocabulary";
import { consumeAccountToken } from "../account-tokens/account-tokens.ts";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import { hashPassword } from "../users/password.ts";
import { assertStrongPassword } from "../users/password-strength.ts";
import { placeMember } from "../users/place-member.ts";
import {
  assertOrganizationNotBeingErased,
  lockOrganizationMembers,
  organizationNameOf,
} from "./member-rules.ts";
import { findInvitation, INVITATION_GONE_MESSAGE } from "./preview-invitation.ts";

export interface AcceptInvitationInput {
  token: string;
  /** the signed-in person accepting; null when signed out */
  signedInUserId: string | null;
  /** signed out, for an address without an account: the account to create */
  newAccount?: { name?: string | null; password: string } | null;
  /** where the request came from, for the audit trail */
  origin: string;
}

export interface AcceptedInvitation {
  userId: string;
  email: string;
  organizationId: string;
  organizationName: string;
  role: MemberRole;
  /** a new account was made: the page signs it in with the password just chosen */
  accountCreated: boolean;
}

/**
 * Joins the invited organization, which becomes the one the person works in now. Signed in,
 * the person must be the one invited; signed out, an address without an account gets one
 * (its address counts as verified: the link went there; under SIGNUP=closed only when an
 * admin invited it), and one with an account must sign in first. The link works once.
 */
export async function acceptInvitation(
  deps: { db: Database; clock: Clock; signup: SignupPolicy },
  input: AcceptInvitationInput,
): Promise<AcceptedInvitation> {
  const invitation = await findInvitation(deps, input.token);
  const existing = await deps.db.user.findUnique({
    where: { email: invitation.email },
    select: { id: true },
  });
  let passwordHash: string | null = null;
  if (input.signedInUserId === null) {
    if (existing) {
      throw new DomainError("forbidden", `Sign in as ${invitation.email} to accept.`, "token");
    }
    await assertTakesNewAccount(deps, invitation);
    if (!input.newAccount) {
      throw new DomainError("invalid", "Choose a password for your new account.", "password");
    }
    const name = input.newAccount.name?.trim() || null;
    if (name !== null && name.length > 100) {
      throw new DomainError("invalid", "The name must be at most 100 characters.", "name");
    }
    await assertStrongPassword(input.newAccount.password, { userInputs: [invitation.email, name] });
    // hashed before the transaction: it takes a while, and the link is checked again inside
    passwordHash = await hashPassword(input.newAccount.password);
  }

  try {
    return await deps.db.$transaction(async (tx) => {
      const organizationId = invitation.organizationId ?? "";
      await lockOrganizationMembers(tx, organizationId);
      // opening its erasure deleted its invitations; this refuses one that raced with it
      await assertOrganizationNotBeingErased(tx, organizationId);
      const used = await consumeAccountToken(tx, deps.clock, { purpose: "INVITATION", token: input.token });
      if (!used?.organizationId) throw new DomainError("not_found", INVITATION_GONE_MESSAGE, "token");
      const organizationName = await organizationNameOf(tx, used.organizationId);
      const role = used.memberRole ?? "DEVELOPER";
      const now = deps.clock.now();
      const userId =
        input.signedInUserId === null
          ? await createInvitedAccount(tx, deps.clock, {
              email: used.email,
              name: input.newAccount?.name?.trim() || null,
              passwordHash: passwordHash ?? "",
              origin: input.origin,
            })
          : await assertInvitedPerson(tx, {
              userId: input.signedInUserId,
              email: used.email,
              organizationId,
              organizationName,
            });
      await placeMember(tx, { userId, organizationId: used.organizationId, role, now });
      const actor: Actor = { type: "USER", id: userId, origin: input.origin };
      await recordAuditEvent(tx, deps.clock, {
        actor,
        action: "member.joined",
        target: { type: "user", id: userId },
        organizationId: used.organizationId,
        metadata: { role, invitationId: used.id, accountCreated: input.signedInUserId === null },
      });
      return {
        userId,
        email: used.email,
        organizationId: used.organizationId,
        organizationName,
        role,
        accountCreated: input.signedInUserId === null,
      };
    });
  } catch (error) {
    // someone made an account for the address in the meantime
    if ((error as { code?: string }).code === "P2002") {
      throw new DomainError("forbidden", `Sign in as ${invitation.email} to accept.`, "token");
    }
    throw error;
  }
}

async function assertInvitedPerson(
  tx: Prisma.TransactionClient,
  input: { userId: string; email: string; organizationId: string; organizationName: string },
): Promise<string> {
  const person = await tx.user.findUnique({
    where: { id: input.userId },
    select: { email: true, role: true, deactivatedAt: true },
  });
  if (!person || person.deactivatedAt) throw new DomainError("forbidden", "Sign in again to accept.");
  if (person.email !== input.email) {
    throw new DomainError(
      "forbidden",
      "This invitation is for another address; sign in as that person to accept it.",
      "token",
    );
  }
  if (person.role !== "DEVELOPER") {
    throw new DomainError(
      "forbidden",
      "Administrators and compliance officers see every organization and cannot join one.",
      "token",
    );
  }
  const membership = await tx.membership.findUnique({
    where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } },
    select: { role: true },
  });
  if (membership) {
    throw new DomainError("conflict", `You are already a member of ${input.organizationName}.`, "token");
  }
  return input.userId;
}

async function createInvitedAccount(
  tx: Prisma.TransactionClient,
  clock: Clock,
  input: { email: string; name: string | null; passwordHash: string; origin: string },
): Promise<string> {
  const now = clock.now();
  const created = await tx.user.create({
    // the invitation reached this address: following its link proves the person receives mail there
    data: {
      id: newId("user"),
      email: input.email,
      name: input.name,
      role: "DEVELOPER",
      passwordHash: input.passwordHash,
      emailVerified: now,
      createdAt: now,
    },
  });
  await recordAuditEvent(tx, clock, {
    actor: { type: "USER", id: created.id, origin: input.origin },
    action: "user.create",
    target: { type: "user", id: created.id },
    // not the e-mail address: the trail is append-only and must outlive an account erasure
    metadata: { role: "DEVELOPER", withPassword: true, throughInvitation: true },
  });
  return created.id;
}

/**
 * Under SIGNUP=closed only admins add people: an owner may invite any address (inviting must
 * not tell them which addresses have accounts), but an invitation makes a new account only
 * when an admin sent it.
 */
async function assertTakesNewAccount(
  deps: { db: Database; signup: SignupPolicy },
  invitation: AccountToken,
): Promise<void> {
  if (deps.signup !== "closed") return;
  const inviter = invitation.createdById
    ? await deps.db.user.findUnique({
        where: { id: invitation.createdById },
        select: { role: true, deactivatedAt: true },
      })
    : null;
  if (inviter?.role === "ADMIN" && !inviter.deactivatedAt) return;
  throw new DomainError(
    "forbidden",
    "This platform does not take new accounts; ask an administrator.",
    "token",
  );
}
