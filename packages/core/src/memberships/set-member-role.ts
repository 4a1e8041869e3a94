import type { Database } from "@dsc/db";
import type { AccessRole, MemberRole } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";
import {
  assertAnotherOwner,
  assertCanOwn,
  assertManagesMembers,
  displayName,
  lockOrganizationMembers,
  organizationNameOf,
  requireMember,
} from "./member-rules.ts";

/** Gives a member another role in the organization; the last owner stays an owner. */
export async function setMemberRole(
  deps: { db: Database; clock: Clock },
  input: {
    organizationId: string;
    userId: string;
    role: MemberRole;
    actor: Actor;
    actorRole: AccessRole | null;
  },
): Promise<{ userId: string; role: MemberRole }> {
  return deps.db.$transaction(async (tx) => {
    await lockOrganizationMembers(tx, input.organizationId);
    await organizationNameOf(tx, input.organizationId);
    await assertManagesMembers(tx, {
      organizationId: input.organizationId,
      actorId: input.actor.id,
      actorRole: input.actorRole,
    });
    const member = await requireMember(tx, input);
    if (member.role === input.role) return { userId: input.userId, role: input.role };
    if (input.role === "OWNER") await assertCanOwn(tx, { userId: input.userId, param: "userId" });
    if (member.role === "OWNER") {
      await assertAnotherOwner(tx, {
        organizationId: input.organizationId,
        userId: input.userId,
        message: `${displayName(member)} is the organization's last owner: make another member owner first.`,
        param: "role",
      });
    }
    await tx.membership.update({
      where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } },
      data: { role: input.role },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "member.role.set",
      target: { type: "user", id: input.userId },
      organizationId: input.organizationId,
      metadata: { from: member.role, to: input.role },
    });
    return { userId: input.userId, role: input.role };
  });
}
