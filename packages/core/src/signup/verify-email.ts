import type { Database } from "@dsc/db";
import {
  ACCOUNT_TOKEN_LIFETIME_MS,
  consumeAccountToken,
  issueAccountToken,
} from "../account-tokens/account-tokens.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { emailVerificationMessage } from "../mail/account-messages.ts";
import type { Mailer } from "../mail/mailer.ts";
import type { Clock } from "../time/clock.ts";
import { accountLink, EXPIRED_LINK_MESSAGE } from "./account-links.ts";
import type { AccountThrottle } from "./account-throttle.ts";

/**
 * Follows a verification link: the person proved they receive mail at their address, and may
 * create API keys from now on. The link works once.
 */
export async function verifyEmail(
  deps: { db: Database; clock: Clock },
  input: { token: string; origin: string },
): Promise<{ email: string }> {
  return deps.db.$transaction(async (tx) => {
    const link = await consumeAccountToken(tx, deps.clock, {
      purpose: "EMAIL_VERIFICATION",
      token: input.token,
    });
    if (!link?.userId) throw new DomainError("invalid", EXPIRED_LINK_MESSAGE, "token");
    const now = deps.clock.now();
    // the address the link was sent to must still be the person's
    const user = await tx.user.findFirst({ where: { id: link.userId, email: link.email } });
    if (!user) throw new DomainError("invalid", EXPIRED_LINK_MESSAGE, "token");
    if (!user.emailVerified) {
      await tx.user.update({ where: { id: user.id }, data: { emailVerified: now } });
      await recordAuditEvent(tx, deps.clock, {
        actor: { type: "USER", id: user.id, origin: input.origin },
        action: "user.email_verified",
        target: { type: "user", id: user.id },
        organizationId: user.organizationId,
      });
    }
    return { email: user.email };
  });
}

/**
 * Sends a signed-in person a new verification link (the older one stops working), for an
 * e-mail that never came or a link that expired.
 */
export async function sendVerificationEmail(
  deps: {
    db: Database;
    clock: Clock;
    mailer: Mailer | null;
    dashboardUrl: string;
    throttle: AccountThrottle;
  },
  input: { userId: string; origin: string },
): Promise<{ email: string; expiresAt: Date }> {
  const user = await deps.db.user.findUnique({ where: { id: input.userId } });
  if (!user || user.deactivatedAt)
    throw new DomainError("not_found", "Your account does not exist.", "userId");
  if (user.emailVerified) throw new DomainError("conflict", `${user.email} is already verified.`, null);
  if (!deps.mailer) {
    throw new DomainError(
      "unavailable",
      "E-mail is not set up here, so no verification link can be sent. Ask an administrator to verify your address.",
      null,
    );
  }
  await deps.throttle.spend("account-mail", { email: user.email, origin: input.origin });
  const issued = await deps.db.$transaction((tx) =>
    issueAccountToken(tx, deps.clock, { purpose: "EMAIL_VERIFICATION", email: user.email, userId: user.id }),
  );
  // the person asked for it and waits: a failure is theirs to hear
  await deps.mailer.send(
    emailVerificationMessage({
      to: user.email,
      link: accountLink(deps.dashboardUrl, "verify-email", issued.token),
      validForHours: ACCOUNT_TOKEN_LIFETIME_MS.EMAIL_VERIFICATION / 3_600_000,
    }),
  );
  return { email: user.email, expiresAt: issued.expiresAt };
}
