import { updateOrganizationSettings } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { UpdateOrganizationSettingsInputSchema } from "./organizations-input.ts";

/** Name and data-collection opt-out of an organization (retention: updateRetention). */
export const updateOrganizationSettingsProcedure = allowRoles("ADMIN")
  .input(UpdateOrganizationSettingsInputSchema)
  .mutation(({ ctx, input }) => updateOrganizationSettings(ctx, { ...input, actor: actorOf(ctx) }));
