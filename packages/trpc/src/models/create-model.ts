import { createModel } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { CreateModelInputSchema } from "./models-input.ts";

export const createModelProcedure = allowRoles("ADMIN")
  .input(CreateModelInputSchema)
  .mutation(({ ctx, input }) => createModel(ctx, { ...input, actor: actorOf(ctx) }));
