import { countActiveApiKeys } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";

/** API keys that work now: a developer's organization's, else every organization's. */
export const countActiveApiKeysProcedure = allowRoles(
  "ADMIN",
  "COMPLIANCE",
  "OWNER",
  "DEVELOPER",
  "VIEWER",
).query(async ({ ctx }) => ({
  activeKeys: await countActiveApiKeys(ctx, { organizationId: ownOrganization(ctx.user) }),
}));
