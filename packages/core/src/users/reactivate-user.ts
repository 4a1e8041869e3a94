import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import type { Clock } from "../time/clock.ts";
import { setUserActivation } from "./set-user-activation.ts";
import type { UserView } from "./user-view.ts";

/** Gives a deactivated person their access back, with the role they had. */
export function reactivateUser(
  deps: { db: Database; clock: Clock },
  input: { userId: string; actor: Actor },
): Promise<UserView> {
  return setUserActivation(deps, { ...input, isActive: true });
}
