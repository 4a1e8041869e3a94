import { getOrganization } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { GetOrganizationInputSchema } from "./organizations-input.ts";

/** One organization's settings and tier; another organization is not found for developers. */
export const getOrganizationProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER")
  .input(GetOrganizationInputSchema)
  .query(({ ctx, input }) =>
    getOrganization(ctx, { organizationId: input.organizationId, visibleTo: ownOrganization(ctx.user) }),
  );
