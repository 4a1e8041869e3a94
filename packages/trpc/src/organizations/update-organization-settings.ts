import { updateOrganizationSettings } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { UpdateOrganizationSettingsInputSchema } from "./organizations-input.ts";

/** Name, data-collection opt-out and retention of an organization. */
export const updateOrganizationSettingsProcedure = allowRoles("ADMIN")
  .input(UpdateOrganizationSettingsInputSchema)
  .mutation(({ ctx, input }) => updateOrganizationSettings(ctx, { ...input, actor: actorOf(ctx) }));
