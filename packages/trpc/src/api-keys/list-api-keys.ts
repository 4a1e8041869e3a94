import { searchApiKeys } from "@dsc/core";
import { assertVisibleOrganization, ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ListApiKeysInputSchema } from "./api-keys-input.ts";

/** Keys by organization and state, newest first; developers see their organization's only. */
export const listApiKeysProcedure = allowRoles("ADMIN", "COMPLIANCE", "DEVELOPER")
  .input(ListApiKeysInputSchema)
  .query(({ ctx, input }) => {
    if (input.organizationId) assertVisibleOrganization(ctx.user, input.organizationId);
    return searchApiKeys(ctx, {
      ...input,
      organizationId: ownOrganization(ctx.user) ?? input.organizationId,
    });
  });
