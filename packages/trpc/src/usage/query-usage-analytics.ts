import { queryUsageAnalytics } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { UsageAnalyticsInputSchema } from "./usage-input.ts";

/** Usage over time from the roll-ups: admins of any organization or all, developers of their own. */
export const queryUsageAnalyticsProcedure = allowRoles("ADMIN", "OWNER", "DEVELOPER", "VIEWER")
  .input(UsageAnalyticsInputSchema)
  .query(({ ctx, input }) =>
    queryUsageAnalytics(ctx, {
      organizationId: input.organizationId ?? null,
      visibleTo: ownOrganization(ctx.user),
      from: input.from,
      to: input.to,
      bucket: input.bucket,
      groupBy: input.groupBy,
      tierId: input.tierId,
      modelId: input.modelId,
      apiKeyId: input.apiKeyId,
    }),
  );
