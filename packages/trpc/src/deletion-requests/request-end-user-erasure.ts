import { countEndUserRecords, requestEndUserErasure } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { RequestEndUserErasureInputSchema } from "./deletion-requests-input.ts";

/**
 * Opens an erasure of an end user, due in 72 hours and audited as the compliance officer; an
 * erasure already open for the same end user is returned instead.
 */
export const requestEndUserErasureProcedure = allowRoles("COMPLIANCE")
  .input(RequestEndUserErasureInputSchema)
  .mutation(async ({ ctx, input }) => {
    const { request, created } = await requestEndUserErasure(ctx, {
      organizationId: input.organizationId,
      endUserId: input.endUserId,
      actor: actorOf(ctx),
    });
    return { id: request.id, dueAt: request.dueAt, created };
  });

/**
 * How many records the end user of an erasure about to be filed has in the organization
 * (bounded counts), so that the form can ask again about an id that matches nothing.
 */
export const countEndUserRecordsProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(RequestEndUserErasureInputSchema)
  .query(({ ctx, input }) =>
    countEndUserRecords(ctx.db, { organizationId: input.organizationId, endUserId: input.endUserId }),
  );
