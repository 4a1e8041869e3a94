import { listMyOrganizations, switchOrganization } from "@dsc/core";
import { allowRoles } from "../procedure.ts";
import { SwitchOrganizationInputSchema } from "./account-input.ts";

/** The organizations the signed-in person belongs to, with their role in each. */
export const listMyOrganizationsProcedure = allowRoles(
  "ADMIN",
  "COMPLIANCE",
  "OWNER",
  "DEVELOPER",
  "VIEWER",
).query(({ ctx }) =>
  listMyOrganizations(ctx, { userId: ctx.user.id, currentOrganizationId: ctx.user.organizationId }),
);

/** Works in another of one's organizations from the next request on. */
export const switchOrganizationProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER")
  .input(SwitchOrganizationInputSchema)
  .mutation(({ ctx, input }) =>
    switchOrganization(ctx, { userId: ctx.user.id, organizationId: input.organizationId }),
  );
