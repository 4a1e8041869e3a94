import { setOrganizationTier } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { SetOrganizationTierInputSchema } from "./organizations-input.ts";

/** Moves an organization to another tier; the gateway applies it from the next request. */
export const setOrganizationTierProcedure = allowRoles("ADMIN")
  .input(SetOrganizationTierInputSchema)
  .mutation(({ ctx, input }) => setOrganizationTier(ctx, { ...input, actor: actorOf(ctx) }));
