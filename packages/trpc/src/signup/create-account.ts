import { signUp } from "@dsc/core";
import { allowAnyone } from "../procedure.ts";
import { accountsOf } from "./accounts-of.ts";
import { SignUpInputSchema } from "./signup-input.ts";

/** Makes an account of one's own (SIGNUP=open); the page then signs in with the same password. */
export const createAccountProcedure = allowAnyone()
  .input(SignUpInputSchema)
  .mutation(async ({ ctx, input }) => {
    const signed = await signUp(
      { db: ctx.db, clock: ctx.clock, ...accountsOf(ctx) },
      { email: input.email, password: input.password, name: input.name ?? null, origin: ctx.origin },
    );
    return { email: signed.email };
  });
