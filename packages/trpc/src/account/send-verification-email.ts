import { sendVerificationEmail } from "@dsc/core";
import { allowRoles } from "../procedure.ts";
import { accountsOf } from "../signup/accounts-of.ts";

/** Sends the caller a new link to verify their address (the older one stops working). */
export const sendVerificationEmailProcedure = allowRoles(
  "ADMIN",
  "COMPLIANCE",
  "OWNER",
  "DEVELOPER",
  "VIEWER",
).mutation(({ ctx }) =>
  sendVerificationEmail(
    { db: ctx.db, clock: ctx.clock, ...accountsOf(ctx) },
    { userId: ctx.user.id, origin: ctx.origin },
  ),
);
