import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { assertAnotherActiveAdmin } from "./role-assignment.ts";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "./user-view.ts";

/**
 * Deactivates or reactivates a person in one transaction, with its audit event; a person
 * already in that state is returned unchanged. The last active admin is never deactivated.
 */
export async function setUserActivation(
  deps: { db: Database; clock: Clock },
  input: { userId: string; actor: Actor; isActive: boolean },
): Promise<UserView> {
  return deps.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, include: USER_VIEW_INCLUDE });
    if (!user) throw new DomainError("not_found", `Person ${input.userId} does not exist.`, "userId");
    if ((user.deactivatedAt === null) === input.isActive) return toUserView(user);
    if (!input.isActive && user.role === "ADMIN") await assertAnotherActiveAdmin(tx, user.id);
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { deactivatedAt: input.isActive ? null : deps.clock.now() },
      include: USER_VIEW_INCLUDE,
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: input.isActive ? "user.reactivate" : "user.deactivate",
      target: { type: "user", id: user.id },
      organizationId: user.organizationId,
    });
    return toUserView(updated);
  });
}
