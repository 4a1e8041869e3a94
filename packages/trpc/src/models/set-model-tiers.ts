import { setModelTiers } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { SetModelTiersInputSchema } from "./models-input.ts";

export const setModelTiersProcedure = allowRoles("ADMIN")
  .input(SetModelTiersInputSchema)
  .mutation(({ ctx, input }) => setModelTiers(ctx, { ...input, actor: actorOf(ctx) }));
