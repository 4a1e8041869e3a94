import { updateModel } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { UpdateModelInputSchema } from "./models-input.ts";

/** Prices apply to usage from the next request on; the context window to the next request's check. */
export const updateModelProcedure = allowRoles("ADMIN")
  .input(UpdateModelInputSchema)
  .mutation(({ ctx, input }) => updateModel(ctx, { ...input, actor: actorOf(ctx) }));
