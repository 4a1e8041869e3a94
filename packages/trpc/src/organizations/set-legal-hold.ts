import { setLegalHold } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { SetLegalHoldInputSchema } from "./organizations-input.ts";

/**
 * Places or lifts a legal hold. Compliance officers only: admins run the platform and also
 * set retention, so keeping the hold apart from them is a segregation of duties.
 */
export const setLegalHoldProcedure = allowRoles("COMPLIANCE")
  .input(SetLegalHoldInputSchema)
  .mutation(({ ctx, input }) => setLegalHold(ctx, { ...input, actor: actorOf(ctx) }));
