import { getUsageQuota } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { UsageQuotaInputSchema } from "./usage-input.ts";

/** Tokens this month and requests this minute against the tier, for the organization and its keys. */
export const getUsageQuotaProcedure = allowRoles("ADMIN", "OWNER", "DEVELOPER", "VIEWER")
  .input(UsageQuotaInputSchema)
  .query(({ ctx, input }) =>
    getUsageQuota(ctx, { organizationId: input.organizationId, visibleTo: ownOrganization(ctx.user) }),
  );
