import { requestPasswordReset } from "@dsc/core";
import { allowAnyone } from "../procedure.ts";
import { accountsOf } from "../signup/accounts-of.ts";
import { RequestPasswordResetInputSchema } from "./password-reset-input.ts";

/** Mails a reset link if the address has an account; the answer is the same either way. */
export const requestPasswordResetProcedure = allowAnyone()
  .input(RequestPasswordResetInputSchema)
  .mutation(({ ctx, input }) =>
    requestPasswordReset(
      { db: ctx.db, clock: ctx.clock, ...accountsOf(ctx) },
      { email: input.email, origin: ctx.origin },
    ),
  );
