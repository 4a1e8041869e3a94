import type { Database } from "@dsc/db";
import type { SignupPolicy } from "@dsc/vocabulary";
import { ACCOUNT_TOKEN_LIFETIME_MS, issueAccountToken } from "../account-tokens/account-tokens.ts";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import { emailVerificationMessage } from "../mail/account-messages.ts";
import type { Mailer } from "../mail/mailer.ts";
import { findTierBySlug } from "../organizations/find-tier.ts";
import type { Clock } from "../time/clock.ts";
import { normaliseEmail } from "../users/email-address.ts";
import { hashPassword } from "../users/password.ts";
import { assertStrongPassword } from "../users/password-strength.ts";
import { placeMember } from "../users/place-member.ts";
import { accountLink, sendAccountMail } from "./account-links.ts";
import type { AccountThrottle } from "./account-throttle.ts";

export interface SignUpDeps {
  db: Database;
  clock: Clock;
  /** null without SMTP_URL: the person sends the verification e-mail again later */
  mailer: Mailer | null;
  /** the dashboard's public address, which the e-mail's link points at */
  dashboardUrl: string;
  signup: SignupPolicy;
  throttle: AccountThrottle;
  /** hears of an e-mail the server did not take (the sign-up stands) */
  onMailFailure?: (error: unknown) => void;
}

export interface SignUpInput {
  email: string;
  password: string;
  name?: string | null;
  /** the client's IP address: throttling and the audit record */
  origin: string;
}

export interface SignedUp {
  userId: string;
  organizationId: string;
  email: string;
  /** whether the verification e-mail went out */
  verificationSent: boolean;
}

/** The tier an organization of one's own starts on. */
export const SIGN_UP_TIER = "free";
const NAME_MAX_LENGTH = 100;

/**
 * Someone makes an account of their own (SIGNUP=open): a developer with an organization of
 * their own on the free tier, which they own, and an unverified address. The person, the
 * organization, the membership, the audit records and the verification link land together or
 * not at all; the e-mail goes out after, and a failure there leaves the account standing.
 */
export async function signUp(deps: SignUpDeps, input: SignUpInput): Promise<SignedUp> {
  assertSignupOpen(deps.signup);
  const email = normaliseEmail(input.email);
  const name = input.name?.trim() || null;
  if (name !== null && name.length > NAME_MAX_LENGTH) {
    throw new DomainError("invalid", `The name must be at most ${NAME_MAX_LENGTH} characters.`, "name");
  }
  // before the throttle: retyping a weak password must not use up the person's attempts
  await assertStrongPassword(input.password, { userInputs: [email, name] });
  await deps.throttle.spend("account-mail", { email, origin: input.origin });
  if (await deps.db.user.findUnique({ where: { email }, select: { id: true } }))
    throw alreadyHasAccount(email);
  const passwordHash = await hashPassword(input.password);

  const userId = newId("user");
  const actor: Actor = { type: "USER", id: userId, origin: input.origin };
  let created: { organizationId: string; token: string };
  try {
    created = await deps.db.$transaction(async (tx) => {
      const now = deps.clock.now();
      await tx.user.create({
        data: {
          id: userId,
          email,
          name,
          role: "DEVELOPER",
          passwordHash,
          emailVerified: null,
          createdAt: now,
        },
      });
      const tier = await findTierBySlug(tx, SIGN_UP_TIER);
      const organizationName = `${name ?? email.split("@")[0]}'s organization`;
      const organization = await tx.organization.create({
        data: { id: newId("organization"), name: organizationName, tierId: tier.id, createdAt: now },
      });
      await placeMember(tx, { userId, organizationId: organization.id, role: "OWNER", now });
      // not the e-mail address: the trail is append-only and must outlive an account erasure
      await recordAuditEvent(tx, deps.clock, {
        actor,
        action: "user.sign_up",
        target: { type: "user", id: userId },
        organizationId: organization.id,
        metadata: { memberRole: "OWNER" },
      });
      await recordAuditEvent(tx, deps.clock, {
        actor,
        action: "organization.create",
        target: { type: "organization", id: organization.id },
        organizationId: organization.id,
        metadata: { name: organizationName, tier: tier.slug },
      });
      const { token } = await issueAccountToken(tx, deps.clock, {
        purpose: "EMAIL_VERIFICATION",
        email,
        userId,
      });
      return { organizationId: organization.id, token };
    });
  } catch (error) {
    // two sign-ups with one address at once: the second finds the first's row at commit
    if ((error as { code?: string }).code === "P2002") throw alreadyHasAccount(email);
    throw error;
  }
  const verificationSent = await sendAccountMail(
    deps.mailer,
    emailVerificationMessage({
      to: email,
      link: accountLink(deps.dashboardUrl, "verify-email", created.token),
      validForHours: ACCOUNT_TOKEN_LIFETIME_MS.EMAIL_VERIFICATION / 3_600_000,
    }),
    deps.onMailFailure,
  );
  return { userId, organizationId: created.organizationId, email, verificationSent };
}

/** Refuses a sign-up unless SIGNUP=open, saying how else to get an account. */
export function assertSignupOpen(policy: SignupPolicy): void {
  if (policy === "open") return;
  throw new DomainError(
    "forbidden",
    policy === "invite"
      ? "Accounts here are by invitation only. Ask an organization's owner to invite you."
      : "Accounts here are made by administrators. Ask an administrator for an account.",
    null,
  );
}

function alreadyHasAccount(email: string): DomainError {
  return new DomainError(
    "conflict",
    `${email} already has an account. Sign in, or reset your password.`,
    "email",
  );
}
