import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "./user-view.ts";

/** Gives a deactivated person their access back, with the role they had. */
export async function reactivateUser(
  deps: { db: Database; clock: Clock },
  input: { userId: string; actor: Actor },
): Promise<UserView> {
  return deps.db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId }, include: USER_VIEW_INCLUDE });
    if (!user) throw new DomainError("not_found", `person ${input.userId} does not exist`, "userId");
    if (!user.deactivatedAt) return toUserView(user);
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { deactivatedAt: null },
      include: USER_VIEW_INCLUDE,
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "user.reactivate",
      target: { type: "user", id: user.id },
      organizationId: user.organizationId,
    });
    return toUserView(updated);
  });
}
