import { createTier } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { toTierLimits } from "./tier-limits.ts";
import { CreateTierInputSchema } from "./tiers-input.ts";

export const createTierProcedure = allowRoles("ADMIN")
  .input(CreateTierInputSchema)
  .mutation(({ ctx, input }) =>
    createTier(ctx, { ...toTierLimits(input), slug: input.slug, actor: actorOf(ctx) }),
  );
