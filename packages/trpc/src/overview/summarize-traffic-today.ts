import { summarizeTrafficToday } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";

/** Requests and errors today against yesterday: a developer's organization, else the platform's. */
export const summarizeTrafficTodayProcedure = allowRoles("ADMIN", "OWNER", "DEVELOPER", "VIEWER").query(
  ({ ctx }) => {
    const own = ownOrganization(ctx.user);
    return summarizeTrafficToday(ctx, { organizationId: own, visibleTo: own });
  },
);
