import { updateDataProtection } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { UpdateDataProtectionInputSchema } from "./organizations-input.ts";

/**
 * Masked kinds of personal data, masking before the model, response cache. Compliance officers
 * own data protection, so they may change it as well as admins.
 */
export const updateDataProtectionProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(UpdateDataProtectionInputSchema)
  .mutation(({ ctx, input }) => updateDataProtection(ctx, { ...input, actor: actorOf(ctx) }));
