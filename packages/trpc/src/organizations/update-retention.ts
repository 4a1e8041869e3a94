import { updateRetention } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { UpdateRetentionInputSchema } from "./organizations-input.ts";

/**
 * How long an organization's chat logs and files are kept, within its tier's. Compliance
 * officers own data protection, so they may change it as well as admins; audited either way.
 */
export const updateRetentionProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(UpdateRetentionInputSchema)
  .mutation(({ ctx, input }) => updateRetention(ctx, { ...input, actor: actorOf(ctx) }));
