import type { AccountToken, Database } from "@dsc/db";
import type { MemberRole } from "@dsc/vocabulary";
import { findAccountToken } from "../account-tokens/account-tokens.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { displayName } from "./member-rules.ts";

export interface InvitationPreview {
  organizationName: string;
  /** the address invited: only that person may accept */
  email: string;
  role: MemberRole;
  inviterName: string;
  /** whether that address already has an account: sign in to accept, or choose a password */
  accountExists: boolean;
  expiresAt: Date;
}

export const INVITATION_GONE_MESSAGE = "This invitation has expired or was already used.";

/** What an invitation's page shows before it is accepted; works signed out (the link is the secret). */
export async function previewInvitation(
  deps: { db: Database; clock: Clock },
  input: { token: string },
): Promise<InvitationPreview> {
  const invitation = await findInvitation(deps, input.token);
  const [organization, inviter, account] = await Promise.all([
    deps.db.organization.findUnique({
      where: { id: invitation.organizationId ?? "" },
      select: { name: true },
    }),
    invitation.createdById
      ? deps.db.user.findUnique({
          where: { id: invitation.createdById },
          select: { name: true, email: true },
        })
      : null,
    deps.db.user.findUnique({ where: { email: invitation.email }, select: { id: true } }),
  ]);
  if (!organization) throw new DomainError("not_found", INVITATION_GONE_MESSAGE, "token");
  return {
    organizationName: organization.name,
    email: invitation.email,
    role: invitation.memberRole ?? "DEVELOPER",
    inviterName: inviter ? displayName(inviter) : "An administrator",
    accountExists: account !== null,
    expiresAt: invitation.expiresAt,
  };
}

/** A pending, unexpired invitation with its organization, or the one refusal for all else. */
export async function findInvitation(
  deps: { db: Database; clock: Clock },
  token: string,
): Promise<AccountToken> {
  const invitation = await findAccountToken(deps, { purpose: "INVITATION", token });
  if (!invitation?.organizationId) throw new DomainError("not_found", INVITATION_GONE_MESSAGE, "token");
  return invitation;
}
