import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { assertAnotherOwner, dropMembership, lockOrganizationMembers } from "./member-rules.ts";

/** A person leaves one of their organizations; its last owner cannot. */
export async function leaveOrganization(
  deps: { db: Database; clock: Clock },
  input: { userId: string; organizationId: string; actor: Actor },
): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    await lockOrganizationMembers(tx, input.organizationId);
    const membership = await tx.membership.findUnique({
      where: { organizationId_userId: { organizationId: input.organizationId, userId: input.userId } },
      select: { role: true },
    });
    if (!membership) {
      throw new DomainError(
        "not_found",
        `Organization ${input.organizationId} does not exist.`,
        "organizationId",
      );
    }
    if (membership.role === "OWNER") {
      await assertAnotherOwner(tx, {
        organizationId: input.organizationId,
        userId: input.userId,
        message: "You are the organization's last owner. Hand ownership to another member first.",
        param: "organizationId",
      });
    }
    await dropMembership(tx, input);
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "member.left",
      target: { type: "user", id: input.userId },
      organizationId: input.organizationId,
      metadata: { role: membership.role },
    });
  });
}
