import type { Database } from "@dsc/db";
import type { AccessRole, MemberRole } from "@dsc/vocabulary";
import { ACCOUNT_TOKEN_LIFETIME_MS, issueAccountToken } from "../account-tokens/account-tokens.ts";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { invitationMessage } from "../mail/account-messages.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { AccountThrottle } from "../signup/account-throttle.ts";
import type { Clock } from "../time/clock.ts";
import { normaliseEmail } from "../users/email-address.ts";
import {
  assertManagesMembers,
  assertOrganizationNotBeingErased,
  displayName,
  lockOrganizationMembers,
  organizationNameOf,
} from "./member-rules.ts";

export interface InviteMemberDeps {
  db: Database;
  clock: Clock;
  /** null without SMTP: the link goes back to the inviter, to be shown once */
  mailer: Mailer | null;
  /** the dashboard's public address, which the link points at */
  dashboardUrl: string;
  /** counts the invitations' e-mails per address and per inviter */
  throttle: AccountThrottle;
}

export interface InviteMemberInput {
  organizationId: string;
  email: string;
  role: MemberRole;
  actor: Actor;
  /** the actor's role as the procedure's rule saw it: ADMIN, or their role in an organization */
  actorRole: AccessRole | null;
}

export type InvitationSent =
  | { invitationId: string; expiresAt: Date; emailed: true; link: null }
  /** no mailer: the inviter passes the link on; it is not kept anywhere */
  | { invitationId: string; expiresAt: Date; emailed: false; link: string };

/** The page that takes an invitation's secret; in the fragment, which no server log records. */
export function invitationLink(dashboardUrl: string, token: string): string {
  return `${dashboardUrl.replace(/(?<!\/)\/+$/, "")}/invite#token=${token}`;
}

/**
 * Invites someone by address to an organization, with a role. A newer invitation to the same
 * address replaces the older one. Sent by e-mail when a mailer is configured; otherwise the
 * link is returned for the inviter to pass on.
 */
export async function inviteMember(
  deps: InviteMemberDeps,
  input: InviteMemberInput,
): Promise<InvitationSent> {
  const email = normaliseEmail(input.email);
  // every invitation is an e-mail to an address the inviter typed: counted for the address
  // (shared with sign-ups' e-mails to it) and for the inviter, before anything is looked up
  await deps.throttle.spend("account-mail", {
    email,
    origin: input.actor.origin,
    accountId: input.actor.id,
  });
  const prepared = await deps.db.$transaction(async (tx) => {
    await lockOrganizationMembers(tx, input.organizationId);
    const organizationName = await organizationNameOf(tx, input.organizationId);
    await assertOrganizationNotBeingErased(tx, input.organizationId);
    await assertManagesMembers(tx, {
      organizationId: input.organizationId,
      actorId: input.actor.id,
      actorRole: input.actorRole,
    });
    const invited = await tx.user.findUnique({
      where: { email },
      select: { id: true, memberships: { where: { organizationId: input.organizationId } } },
    });
    if (invited && invited.memberships.length > 0) {
      throw new DomainError("conflict", `${email} is already a member of ${organizationName}.`, "email");
    }
    // an administrator's address, or (SIGNUP=closed) one without an account, is invited like
    // any other, so that inviting tells the inviter nothing about who has which account;
    // accepting refuses them (admins join no organization; closed: no new accounts)
    const inviter = await tx.user.findUnique({
      where: { id: input.actor.id },
      select: { name: true, email: true },
    });
    const issued = await issueAccountToken(tx, deps.clock, {
      purpose: "INVITATION",
      email,
      organizationId: input.organizationId,
      memberRole: input.role,
      createdById: input.actor.id,
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "member.invited",
      target: { type: "invitation", id: issued.id },
      organizationId: input.organizationId,
      // not the address: the trail is append-only and must outlive an account erasure
      metadata: { role: input.role, existingAccount: invited !== null, emailed: deps.mailer !== null },
    });
    return { issued, organizationName, inviterName: inviter ? displayName(inviter) : "An administrator" };
  });

  const { issued } = prepared;
  const link = invitationLink(deps.dashboardUrl, issued.token);
  if (!deps.mailer) {
    return { invitationId: issued.id, expiresAt: issued.expiresAt, emailed: false, link };
  }
  try {
    await deps.mailer.send(
      invitationMessage({
        to: email,
        link,
        validForHours: ACCOUNT_TOKEN_LIFETIME_MS.INVITATION / 3_600_000,
        organizationName: prepared.organizationName,
        inviterName: prepared.inviterName,
        role: input.role,
      }),
    );
  } catch (error) {
    // an invitation nobody received must not linger as pending
    await deps.db.accountToken.updateMany({
      where: { id: issued.id, usedAt: null },
      data: { usedAt: deps.clock.now() },
    });
    throw error;
  }
  return { invitationId: issued.id, expiresAt: issued.expiresAt, emailed: true, link: null };
}
