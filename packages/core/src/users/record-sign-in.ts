import type { Database } from "@dsc/db";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";

/** Appends the audit record of a successful dashboard sign-in. */
export async function recordSignIn(
  deps: { db: Database; clock: Clock },
  input: { userId: string; organizationId: string | null; method: string; origin: string },
): Promise<void> {
  await recordAuditEvent(deps.db, deps.clock, {
    actor: { type: "USER", id: input.userId, origin: input.origin },
    action: "user.sign_in",
    target: { type: "user", id: input.userId },
    organizationId: input.organizationId,
    metadata: { method: input.method },
  });
}
