import type { Database } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import { toUserView, USER_VIEW_INCLUDE, type UserView } from "./user-view.ts";

/** One dashboard person by id. */
export async function getUser(deps: { db: Database }, input: { userId: string }): Promise<UserView> {
  const user = await deps.db.user.findUnique({ where: { id: input.userId }, include: USER_VIEW_INCLUDE });
  if (!user) throw new DomainError("not_found", `Person ${input.userId} does not exist.`, "userId");
  return toUserView(user);
}
