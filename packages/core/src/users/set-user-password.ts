import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { hashPassword } from "./password.ts";
import { assertAcceptablePassword } from "./password-policy.ts";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "./user-view.ts";

/**
 * An admin sets (or resets) another person's password: for someone who forgot theirs, or who
 * was invited while no identity provider could sign them in. Every session of theirs ends, and
 * they must choose their own password before anything else works, since the admin knows this
 * one. Nobody sets their own this way: that takes the current password, under Account.
 */
export async function setUserPassword(
  deps: { db: Database; clock: Clock },
  input: { userId: string; password: string; actor: Actor },
): Promise<UserView> {
  if (input.actor.type === "USER" && input.actor.id === input.userId) {
    throw new DomainError("forbidden", "Change your own password under Account.", "userId");
  }
  assertAcceptablePassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return deps.db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: input.userId },
      // the new hash alone changes the credential version; the epoch says "ended" explicitly
      data: { passwordHash, mustChangePassword: true, sessionEpoch: { increment: 1 } },
    });
    if (count === 0) throw new DomainError("not_found", `Person ${input.userId} does not exist.`, "userId");
    const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId }, include: USER_VIEW_INCLUDE });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "user.password.set",
      target: { type: "user", id: user.id },
      organizationId: user.organizationId,
    });
    return toUserView(user);
  });
}
