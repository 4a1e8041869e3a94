import { listOrganizationMembers } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ListMembersInputSchema } from "./organizations-input.ts";

/** The people of an organization; developers see their own colleagues only. */
export const listMembersProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER")
  .input(ListMembersInputSchema)
  .query(({ ctx, input }) =>
    listOrganizationMembers(ctx, {
      organizationId: input.organizationId,
      visibleTo: ownOrganization(ctx.user),
    }),
  );
