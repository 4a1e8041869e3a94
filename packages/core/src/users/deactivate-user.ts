import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { setUserActivation } from "./set-user-activation.ts";
import type { UserView } from "./user-view.ts";

/**
 * Ends a person's access: sign-in is refused and their open sessions stop at the next request
 * (sessions are checked against the database each time). Their records and audit trail stay.
 * Deactivating a deactivated person changes nothing.
 */
export async function deactivateUser(
  deps: { db: Database; clock: Clock },
  input: { userId: string; actor: Actor },
): Promise<UserView> {
  if (input.actor.type === "USER" && input.actor.id === input.userId) {
    throw new DomainError("forbidden", "You cannot deactivate yourself. Ask another admin.", "userId");
  }
  return setUserActivation(deps, { ...input, isActive: false });
}
