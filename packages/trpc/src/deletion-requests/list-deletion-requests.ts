import { searchDeletionRequests } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ListDeletionRequestsInputSchema } from "./deletion-requests-input.ts";

/** Deletion requests newest first, by organization and status, each flagged near or past its deadline. */
export const listDeletionRequestsProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(ListDeletionRequestsInputSchema)
  .query(({ ctx, input }) =>
    searchDeletionRequests(ctx, {
      ...input,
      // no developer gets this far; should one ever, core still filters by their organization
      organizationId: ownOrganization(ctx.user) ?? input.organizationId,
    }),
  );
