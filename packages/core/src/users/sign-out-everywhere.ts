import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";

/**
 * Ends every session of a person, the caller's own included, on every device: raises their
 * session epoch, which the credential version in each session is derived from. For a cookie
 * that may have been copied, or a device left signed in; works for people who sign in through
 * an identity provider too. Audited.
 */
export async function signOutEverywhere(
  deps: { db: Database; clock: Clock },
  input: { userId: string; actor: Actor },
): Promise<void> {
  await deps.db.$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: input.userId, deactivatedAt: null },
      data: { sessionEpoch: { increment: 1 } },
    });
    if (count === 0) throw new DomainError("not_found", `Person ${input.userId} does not exist.`, "userId");
    const user = await tx.user.findUniqueOrThrow({ where: { id: input.userId } });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "user.sessions.end",
      target: { type: "user", id: user.id },
      organizationId: user.organizationId,
    });
  });
}
