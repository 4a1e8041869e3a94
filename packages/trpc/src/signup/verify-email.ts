import { verifyEmail } from "@dsc/core";
import { allowAnyone } from "../procedure.ts";
import { VerifyEmailInputSchema } from "./signup-input.ts";

/** Follows a verification link from an e-mail, signed in or not: the link is the proof. */
export const verifyEmailProcedure = allowAnyone()
  .input(VerifyEmailInputSchema)
  .mutation(({ ctx, input }) => verifyEmail(ctx, { token: input.token, origin: ctx.origin }));
