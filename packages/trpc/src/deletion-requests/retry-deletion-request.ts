import { retryDeletionRequest } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { DeletionRequestActionInputSchema } from "./deletion-requests-input.ts";

/**
 * Sends an erasure that needs attention (or failed) back to the queue with a fresh count of
 * attempts, audited as the compliance officer; refused in any other status.
 */
export const retryDeletionRequestProcedure = allowRoles("COMPLIANCE")
  .input(DeletionRequestActionInputSchema)
  .mutation(async ({ ctx, input }) => {
    const request = await retryDeletionRequest(ctx, { id: input.id, actor: actorOf(ctx) });
    return { id: request.id, status: request.status };
  });
