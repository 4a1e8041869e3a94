import { resetPassword } from "@dsc/core";
import { allowAnyone } from "../procedure.ts";
import { CompletePasswordResetInputSchema } from "./password-reset-input.ts";

/** Sets a new password through a reset link; every session of the person ends. */
export const completePasswordResetProcedure = allowAnyone()
  .input(CompletePasswordResetInputSchema)
  .mutation(({ ctx, input }) =>
    resetPassword(ctx, { token: input.token, password: input.password, origin: ctx.origin }),
  );
