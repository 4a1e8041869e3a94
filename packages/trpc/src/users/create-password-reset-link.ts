import { createPasswordResetLink } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { accountsOf } from "../signup/accounts-of.ts";
import { PasswordResetLinkInputSchema } from "./users-input.ts";

/**
 * A one-time link for someone to choose a new password, shown once to the admin and also
 * mailed when e-mail is set up. The admin never learns the password.
 */
export const createPasswordResetLinkProcedure = allowRoles("ADMIN")
  .input(PasswordResetLinkInputSchema)
  .mutation(({ ctx, input }) =>
    createPasswordResetLink(
      { db: ctx.db, clock: ctx.clock, ...accountsOf(ctx) },
      { userId: input.userId, actor: actorOf(ctx) },
    ),
  );
