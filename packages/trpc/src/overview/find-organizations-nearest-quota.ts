import { findOrganizationsNearestQuota } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";

/** Tokens this month against quota: a developer's organization, else the five nearest their quota. */
export const findOrganizationsNearestQuotaProcedure = allowRoles(
  "ADMIN",
  "OWNER",
  "DEVELOPER",
  "VIEWER",
).query(({ ctx }) => findOrganizationsNearestQuota(ctx, { organizationId: ownOrganization(ctx.user) }));
