import { updateTier } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { toTierLimits } from "./tier-limits.ts";
import { UpdateTierInputSchema } from "./tiers-input.ts";

/** New limits apply to the next API request: the gateway reads the tier per request. */
export const updateTierProcedure = allowRoles("ADMIN")
  .input(UpdateTierInputSchema)
  .mutation(({ ctx, input }) =>
    updateTier(ctx, { ...toTierLimits(input), tierId: input.tierId, actor: actorOf(ctx) }),
  );
