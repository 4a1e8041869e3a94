import type { Database } from "@dsc/db";
import type { AccessRole } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { assertManagesMembers, lockOrganizationMembers } from "./member-rules.ts";

/** Withdraws a pending invitation: its link stops working. */
export async function revokeInvitation(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string; invitationId: string; actor: Actor; actorRole: AccessRole | null },
): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    await lockOrganizationMembers(tx, input.organizationId);
    await assertManagesMembers(tx, {
      organizationId: input.organizationId,
      actorId: input.actor.id,
      actorRole: input.actorRole,
    });
    const now = deps.clock.now();
    const revoked = await tx.accountToken.updateMany({
      where: {
        id: input.invitationId,
        purpose: "INVITATION",
        organizationId: input.organizationId,
        usedAt: null,
        expiresAt: { gt: now },
      },
      data: { usedAt: now },
    });
    if (revoked.count === 0) {
      throw new DomainError(
        "not_found",
        "This invitation does not exist, or it was already accepted, revoked or expired.",
        "invitationId",
      );
    }
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "member.invitation_revoked",
      target: { type: "invitation", id: input.invitationId },
      organizationId: input.organizationId,
    });
  });
}
