import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { assertAnotherActiveAdmin } from "./role-assignment.ts";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "./user-view.ts";

/**
 * Ends a person's access: sign-in is refused and their open sessions stop at the next request
 * (sessions are checked against the database each time). Their records and audit trail stay.
 * Deactivating a deactivated person changes nothing.
 */
export async function deactivateUser(
  deps: { db: Database; clock: Clock },
  input: { userId: string; actor: Actor },
): Promise<UserView> {
  if (input.actor.type === "USER" && input.actor.id === input.userId) {
    throw new DomainError("forbidden", "you cannot deactivate yourself; ask another admin", "userId");
  }
  return deps.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, include: USER_VIEW_INCLUDE });
    if (!user) throw new DomainError("not_found", `person ${input.userId} does not exist`, "userId");
    if (user.deactivatedAt) return toUserView(user);
    if (user.role === "ADMIN") await assertAnotherActiveAdmin(tx, user.id);
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { deactivatedAt: deps.clock.now() },
      include: USER_VIEW_INCLUDE,
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "user.deactivate",
      target: { type: "user", id: user.id },
      organizationId: user.organizationId,
    });
    return toUserView(updated);
  });
}
