import { processDeletionRequestNow } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { DeletionRequestActionInputSchema } from "./deletion-requests-input.ts";

/**
 * Makes a pending or failed erasure due at once; the worker, which runs every minute, takes it
 * on its next run. Audited as the person who asked.
 */
export const processDeletionRequestNowProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(DeletionRequestActionInputSchema)
  .mutation(({ ctx, input }) => processDeletionRequestNow(ctx, { id: input.id, actor: actorOf(ctx) }));
