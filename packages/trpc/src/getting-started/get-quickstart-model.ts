import { quickstartModelFor } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";

/**
 * The model the getting-started examples call: one the organization the member works in now
 * may call; for an admin, who works in none, the built-in one.
 */
export const getQuickstartModelProcedure = allowRoles("ADMIN", "OWNER", "DEVELOPER", "VIEWER").query(
  async ({ ctx }) => ({
    model: await quickstartModelFor(ctx, { organizationId: ownOrganization(ctx.user) }),
  }),
);
