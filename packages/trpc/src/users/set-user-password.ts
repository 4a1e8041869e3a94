import { setUserPassword } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { SetUserPasswordInputSchema } from "./users-input.ts";

/** Sets another person's password: their sessions end, and they must choose their own next. */
export const setUserPasswordProcedure = allowRoles("ADMIN")
  .input(SetUserPasswordInputSchema)
  .mutation(({ ctx, input }) =>
    setUserPassword(ctx, { userId: input.userId, password: input.password, actor: actorOf(ctx) }),
  );
