import { searchOAuthClients } from "@dsc/core";
import { assertVisibleOrganization, ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ListOAuthClientsInputSchema } from "./oauth-clients-input.ts";

/** OAuth clients by organization and state; developers see their organization's only. */
export const listOAuthClientsProcedure = allowRoles("ADMIN", "COMPLIANCE", "DEVELOPER")
  .input(ListOAuthClientsInputSchema)
  .query(({ ctx, input }) => {
    if (input.organizationId) assertVisibleOrganization(ctx.user, input.organizationId);
    return searchOAuthClients(ctx, {
      ...input,
      organizationId: ownOrganization(ctx.user) ?? input.organizationId,
    });
  });
