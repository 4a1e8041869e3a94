import type { Database } from "@dsc/db";
import type { AccessRole } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { assertCanOwn, lockOrganizationMembers, organizationNameOf, requireMember } from "./member-rules.ts";

/**
 * An owner hands their ownership to another member, and becomes a developer. An admin may do
 * it on an owner's behalf (naming them in `fromUserId`), say for an owner who has left.
 */
export async function transferOwnership(
  deps: { db: Database; clock: Clock },
  input: {
    organizationId: string;
    toUserId: string;
    /** the owner giving up ownership; absent: the actor */
    fromUserId?: string | null;
    actor: Actor;
    actorRole: AccessRole | null;
  },
): Promise<void> {
  const fromUserId = input.fromUserId ?? input.actor.id;
  if (fromUserId !== input.actor.id && input.actorRole !== "ADMIN") {
    throw new DomainError("forbidden", "Only admins hand over another owner's ownership.", "fromUserId");
  }
  if (fromUserId === input.toUserId) {
    throw new DomainError("invalid", "Choose another member to hand ownership to.", "toUserId");
  }
  await deps.db.$transaction(async (tx) => {
    await lockOrganizationMembers(tx, input.organizationId);
    await organizationNameOf(tx, input.organizationId);
    const giver = await tx.membership.findUnique({
      where: { organizationId_userId: { organizationId: input.organizationId, userId: fromUserId } },
      select: { role: true },
    });
    if (giver?.role !== "OWNER") {
      throw new DomainError(
        "forbidden",
        fromUserId === input.actor.id
          ? "Only an owner hands over ownership."
          : "This person is not an owner of the organization.",
        "fromUserId",
      );
    }
    const receiver = await requireMember(
      tx,
      { organizationId: input.organizationId, userId: input.toUserId },
      "toUserId",
    );
    await assertCanOwn(tx, { userId: input.toUserId, param: "toUserId" });
    await tx.membership.update({
      where: { organizationId_userId: { organizationId: input.organizationId, userId: input.toUserId } },
      data: { role: "OWNER" },
    });
    await tx.membership.update({
      where: { organizationId_userId: { organizationId: input.organizationId, userId: fromUserId } },
      data: { role: "DEVELOPER" },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "member.ownership.transfer",
      target: { type: "user", id: input.toUserId },
      organizationId: input.organizationId,
      metadata: { from: fromUserId, previousRole: receiver.role },
    });
  });
}
