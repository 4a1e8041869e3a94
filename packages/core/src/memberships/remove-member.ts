import type { Database } from "@dsc/db";
import type { AccessRole } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";
import {
  assertAnotherOwner,
  assertManagesMembers,
  displayName,
  dropMembership,
  lockOrganizationMembers,
  organizationNameOf,
  requireMember,
} from "./member-rules.ts";

/**
 * Takes a member out of the organization; from their next request they no longer see it. The
 * last owner cannot be removed.
 */
export async function removeMember(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string; userId: string; actor: Actor; actorRole: AccessRole | null },
): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    await lockOrganizationMembers(tx, input.organizationId);
    await organizationNameOf(tx, input.organizationId);
    await assertManagesMembers(tx, {
      organizationId: input.organizationId,
      actorId: input.actor.id,
      actorRole: input.actorRole,
    });
    const member = await requireMember(tx, input);
    if (member.role === "OWNER") {
      await assertAnotherOwner(tx, {
        organizationId: input.organizationId,
        userId: input.userId,
        message: `${displayName(member)} is the organization's last owner and cannot be removed: make another member owner first.`,
      });
    }
    await dropMembership(tx, input);
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "member.removed",
      target: { type: "user", id: input.userId },
      organizationId: input.organizationId,
      metadata: { role: member.role },
    });
  });
}
