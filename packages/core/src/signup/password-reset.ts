import type { Database } from "@dsc/db";
import {
  ACCOUNT_TOKEN_LIFETIME_MS,
  consumeAccountToken,
  findAccountToken,
  issueAccountToken,
} from "../account-tokens/account-tokens.ts";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { passwordResetMessage } from "../mail/account-messages.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { Clock } from "../time/clock.ts";
import { normaliseEmail } from "../users/email-address.ts";
import { hashPassword } from "../users/password.ts";
import { assertStrongPassword } from "../users/password-strength.ts";
import { accountLink, EXPIRED_RESET_LINK_MESSAGE, sendAccountMail } from "./account-links.ts";
import type { AccountThrottle } from "./account-throttle.ts";

const RESET_LINK_HOURS = ACCOUNT_TOKEN_LIFETIME_MS.PASSWORD_RESET / 3_600_000;

/**
 * The least time a reset request takes, whether or not the address has an account: the
 * database work for one that has (a few milliseconds) must not tell them apart.
 */
export const RESET_REQUEST_MIN_MS = 250;

export interface RequestPasswordResetDeps {
  db: Database;
  clock: Clock;
  mailer: Mailer | null;
  dashboardUrl: string;
  throttle: AccountThrottle;
  /** hears of an e-mail the server did not take: nobody waits for it (see below) */
  onMailFailure?: (error: unknown) => void;
  /** RESET_REQUEST_MIN_MS unless a test says otherwise */
  minimumAnswerMs?: number;
}

/**
 * Someone who forgot their password asks for a link. The answer is the same, and comes after
 * the same time, whether or not the address has an account: nobody learns who has one. The
 * e-mail is sent without waiting for the mail server, whose pace would tell the same.
 */
export async function requestPasswordReset(
  deps: RequestPasswordResetDeps,
  input: { email: string; origin: string },
): Promise<{ validForHours: number }> {
  if (!deps.mailer) {
    throw new DomainError(
      "unavailable",
      "Password reset by e-mail is not set up here. Ask an administrator for a reset link.",
      null,
    );
  }
  const mailer = deps.mailer;
  const email = normaliseEmail(input.email);
  await deps.throttle.spend("password-reset", { email, origin: input.origin });
  const started = performance.now();
  const user = await deps.db.user.findUnique({ where: { email }, select: { id: true, deactivatedAt: true } });
  if (user && !user.deactivatedAt) {
    const issued = await deps.db.$transaction((tx) =>
      issueAccountToken(tx, deps.clock, { purpose: "PASSWORD_RESET", email, userId: user.id }),
    );
    void sendAccountMail(
      mailer,
      passwordResetMessage({
        to: email,
        link: accountLink(deps.dashboardUrl, "reset-password", issued.token),
        validForHours: RESET_LINK_HOURS,
      }),
      deps.onMailFailure,
    );
  }
  await waitUntil(started + (deps.minimumAnswerMs ?? RESET_REQUEST_MIN_MS));
  return { validForHours: RESET_LINK_HOURS };
}

function waitUntil(deadline: number): Promise<void> {
  const remaining = deadline - performance.now();
  return remaining > 0 ? new Promise((resolve) => setTimeout(resolve, remaining)) : Promise.resolve();
}

export interface PasswordResetLink {
  /** shown once to the admin: only its hash is kept */
  link: string;
  expiresAt: Date;
  /** whether it was also e-mailed to the person */
  mailed: boolean;
}

/**
 * An admin makes a reset link for someone: a person who forgot their password where e-mail is
 * not set up, or one added without a password and no identity provider to sign in with. The
 * admin sees the link once; with a mail server it also goes to the person. The person chooses
 * the password: the admin never knows it.
 */
export async function createPasswordResetLink(
  deps: {
    db: Database;
    clock: Clock;
    mailer: Mailer | null;
    dashboardUrl: string;
    onMailFailure?: (error: unknown) => void;
  },
  input: { userId: string; actor: Actor },
): Promise<PasswordResetLink> {
  const issued = await deps.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new DomainError("not_found", `Person ${input.userId} does not exist.`, "userId");
    if (user.deactivatedAt) {
      throw new DomainError("conflict", `${user.email} is deactivated. Reactivate them first.`, "userId");
    }
    const token = await issueAccountToken(tx, deps.clock, {
      purpose: "PASSWORD_RESET",
      email: user.email,
      userId: user.id,
      createdById: input.actor.id,
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "user.password_reset_link",
      target: { type: "user", id: user.id },
      organizationId: user.organizationId,
    });
    return { ...token, email: user.email };
  });
  const link = accountLink(deps.dashboardUrl, "reset-password", issued.token);
  const mailed = await sendAccountMail(
    deps.mailer,
    passwordResetMessage({ to: issued.email, link, validForHours: RESET_LINK_HOURS }),
    deps.onMailFailure,
  );
  return { link, expiresAt: issued.expiresAt, mailed };
}

/**
 * Follows a reset link with a new password: every session of the person ends, a password an
 * admin set stops holding them, and their address counts as verified (the link reached it).
 * The link works once; a weak password leaves it working, to try another.
 */
export async function resetPassword(
  deps: { db: Database; clock: Clock },
  input: { token: string; password: string; origin: string },
): Promise<{ email: string }> {
  const preview = await findAccountToken(deps, { purpose: "PASSWORD_RESET", token: input.token });
  const owner = preview?.userId
    ? await deps.db.user.findUnique({ where: { id: preview.userId }, select: { email: true, name: true } })
    : null;
  if (!owner) throw new DomainError("invalid", EXPIRED_RESET_LINK_MESSAGE, "token");
  await assertStrongPassword(input.password, { userInputs: [owner.email, owner.name] });
  const passwordHash = await hashPassword(input.password);
  return deps.db.$transaction(async (tx) => {
    // of two requests with one link, only one gets past this
    const link = await consumeAccountToken(tx, deps.clock, { purpose: "PASSWORD_RESET", token: input.token });
    const user = link?.userId
      ? await tx.user.findFirst({ where: { id: link.userId, email: link.email, deactivatedAt: null } })
      : null;
    if (!user) throw new DomainError("invalid", EXPIRED_RESET_LINK_MESSAGE, "token");
    await tx.user.update({
      where: { id: user.id },
      data: {
        passwordHash,
        mustChangePassword: false,
        sessionEpoch: { increment: 1 },
        emailVerified: user.emailVerified ?? deps.clock.now(),
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: { type: "USER", id: user.id, origin: input.origin },
      action: "user.password_reset",
      target: { type: "user", id: user.id },
      organizationId: user.organizationId,
    });
    return { email: user.email };
  });
}
