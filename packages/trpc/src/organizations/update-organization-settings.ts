import { updateOrganizationSettings } from "@dsc/core";
import { actorOf, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { UpdateOrganizationSettingsInputSchema } from "./organizations-input.ts";

/**
 * Name and data-collection opt-out of an organization (retention: updateRetention): an admin's
 * for any, an owner's for their own, whose data it is.
 */
export const updateOrganizationSettingsProcedure = allowRoles("ADMIN", "OWNER")
  .input(UpdateOrganizationSettingsInputSchema)
  .mutation(({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    return updateOrganizationSettings(ctx, { ...input, actor: actorOf(ctx) });
  });
