import type { Database } from "@dsc/db";
import type { MemberRole, Role } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { placeMember } from "./place-member.ts";
import { assertAnotherActiveAdmin, organizationForRole } from "./role-assignment.ts";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "./user-view.ts";

export interface SetUserRoleInput {
  userId: string;
  role: Role;
  /** an organization the developer joins (or already belongs to) and works in; ignored for other roles */
  organizationId?: string | null;
  /** their role there; developer when absent */
  memberRole?: MemberRole;
  actor: Actor;
}

/**
 * Changes what a person may do, and for developers which organization they join and work in. Sessions read
 * the role per request, so the change applies to their next click. Nobody changes their own
 * role (another admin must), and the last active admin stays an admin.
 */
export async function setUserRole(
  deps: { db: Database; clock: Clock },
  input: SetUserRoleInput,
): Promise<UserView> {
  if (input.actor.type === "USER" && input.actor.id === input.userId) {
    throw new DomainError("forbidden", "You cannot change your own role. Ask another admin.", "userId");
  }
  return deps.db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: input.userId } });
    if (!before) throw new DomainError("not_found", `Person ${input.userId} does not exist.`, "userId");
    if (before.role === "ADMIN" && input.role !== "ADMIN") await assertAnotherActiveAdmin(tx, before.id);
    const organizationId = await organizationForRole(tx, input.role, input.organizationId);
    await tx.user.update({ where: { id: before.id }, data: { role: input.role, organizationId: null } });
    if (organizationId) {
      const role = input.memberRole ?? "DEVELOPER";
      await placeMember(tx, { userId: before.id, organizationId, role, now: deps.clock.now() });
    } else {
      // a platform role sees every organization through the role, never through a membership
      await tx.membership.deleteMany({ where: { userId: before.id } });
    }
    const updated = await tx.user.findUniqueOrThrow({ where: { id: before.id }, include: USER_VIEW_INCLUDE });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "user.role.set",
      target: { type: "user", id: before.id },
      organizationId: organizationId ?? before.organizationId,
      metadata: {
        from: { role: before.role, organizationId: before.organizationId },
        to: {
          role: input.role,
          organizationId,
          ...(organizationId ? { memberRole: input.memberRole ?? "DEVELOPER" } : {}),
        },
      },
    });
    return toUserView(updated);
  });
}
