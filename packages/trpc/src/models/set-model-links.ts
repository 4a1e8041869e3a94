import { setModelAlias, setModelFallback } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { SetModelAliasInputSchema, SetModelFallbackInputSchema } from "./models-input.ts";

export const setModelAliasProcedure = allowRoles("ADMIN")
  .input(SetModelAliasInputSchema)
  .mutation(({ ctx, input }) => setModelAlias(ctx, { ...input, actor: actorOf(ctx) }));

export const setModelFallbackProcedure = allowRoles("ADMIN")
  .input(SetModelFallbackInputSchema)
  .mutation(({ ctx, input }) => setModelFallback(ctx, { ...input, actor: actorOf(ctx) }));
