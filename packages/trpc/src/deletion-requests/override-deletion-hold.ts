import { overrideDeletionHold } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { DeletionRequestActionInputSchema } from "./deletion-requests-input.ts";

/**
 * Lets one erasure held by its organization's legal hold proceed (the hold stays on), audited as
 * the compliance officer; refused unless the request is on hold.
 */
export const overrideDeletionHoldProcedure = allowRoles("COMPLIANCE")
  .input(DeletionRequestActionInputSchema)
  .mutation(async ({ ctx, input }) => {
    const request = await overrideDeletionHold(ctx, { id: input.id, actor: actorOf(ctx) });
    return { id: request.id, status: request.status };
  });
