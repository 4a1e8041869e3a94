import { reactivateUser } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ReactivateUserInputSchema } from "./users-input.ts";

export const reactivateUserProcedure = allowRoles("ADMIN")
  .input(ReactivateUserInputSchema)
  .mutation(({ ctx, input }) => reactivateUser(ctx, { userId: input.userId, actor: actorOf(ctx) }));
