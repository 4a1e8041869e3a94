import { deactivateUser } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { DeactivateUserInputSchema } from "./users-input.ts";

/** Ends a person's access at their next request. */
export const deactivateUserProcedure = allowRoles("ADMIN")
  .input(DeactivateUserInputSchema)
  .mutation(({ ctx, input }) => deactivateUser(ctx, { userId: input.userId, actor: actorOf(ctx) }));
