import { signOutEverywhere } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";

/** Ends every session of the caller, this one included; the page then signs in again. */
export const signOutEverywhereProcedure = allowRoles(
  "ADMIN",
  "COMPLIANCE",
  "OWNER",
  "DEVELOPER",
  "VIEWER",
).mutation(async ({ ctx }) => {
  await signOutEverywhere(ctx, { userId: ctx.user.id, actor: actorOf(ctx) });
  return { signedOut: true as const };
});
