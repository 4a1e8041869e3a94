import { retireModel, unretireModel } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ModelRefInputSchema, RetireModelInputSchema } from "./models-input.ts";

export const retireModelProcedure = allowRoles("ADMIN")
  .input(RetireModelInputSchema)
  .mutation(({ ctx, input }) => retireModel(ctx, { ...input, actor: actorOf(ctx) }));

export const unretireModelProcedure = allowRoles("ADMIN")
  .input(ModelRefInputSchema)
  .mutation(({ ctx, input }) => unretireModel(ctx, { ...input, actor: actorOf(ctx) }));
