import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { credentialVersion } from "./credential-version.ts";
import { hashPassword, verifyPassword } from "./password.ts";
import { assertAcceptablePassword } from "./password-policy.ts";
import { assertStrongPassword } from "./password-strength.ts";

/**
 * A person replaces their own password, proving the current one. Every session signed in with
 * the old password ends (the credential version changes); the caller signs in again. A password
 * an admin set stops holding them on the account page.
 */
export async function changePassword(
  deps: { db: Database; clock: Clock },
  input: { userId: string; currentPassword: string; newPassword: string; actor: Actor },
): Promise<{ credentialVersion: string }> {
  assertAcceptablePassword(input.newPassword, "newPassword");
  const user = await deps.db.user.findUnique({ where: { id: input.userId } });
  if (!user || user.deactivatedAt)
    throw new DomainError("not_found", "Your account does not exist.", "userId");
  if (!user.passwordHash) {
    throw new DomainError(
      "invalid",
      "Your account signs in through an identity provider.",
      "currentPassword",
    );
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new DomainError("invalid", "The current password is not correct.", "currentPassword");
  }
  if (input.currentPassword === input.newPassword) {
    throw new DomainError("invalid", "Choose a password different from the current one.", "newPassword");
  }
  // one they choose themselves: it must resist guessing
  await assertStrongPassword(input.newPassword, { userInputs: [user.email, user.name] }, "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.$transaction(async (tx) => {
    // only if nobody changed it meanwhile: two changes racing cannot both win
    const { count } = await tx.user.updateMany({
      where: { id: user.id, passwordHash: user.passwordHash },
      // their own choice now: an admin's password no longer holds them on the account page
      data: { passwordHash, mustChangePassword: false },
    });
    if (count === 0)
      throw new DomainError("conflict", "The password was changed meanwhile. Try again.", null);
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "user.password.change",
      target: { type: "user", id: user.id },
      organizationId: user.organizationId,
    });
  });
  return { credentialVersion: credentialVersion({ passwordHash, sessionEpoch: user.sessionEpoch }) };
}
