import { addModelDeployment, removeModelDeployment, updateModelDeployment } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import {
  AddDeploymentInputSchema,
  RemoveDeploymentInputSchema,
  UpdateDeploymentInputSchema,
} from "./models-input.ts";

export const addDeploymentProcedure = allowRoles("ADMIN")
  .input(AddDeploymentInputSchema)
  .mutation(({ ctx, input }) => addModelDeployment(ctx, { ...input, actor: actorOf(ctx) }));

export const updateDeploymentProcedure = allowRoles("ADMIN")
  .input(UpdateDeploymentInputSchema)
  .mutation(({ ctx, input }) => updateModelDeployment(ctx, { ...input, actor: actorOf(ctx) }));

export const removeDeploymentProcedure = allowRoles("ADMIN")
  .input(RemoveDeploymentInputSchema)
  .mutation(({ ctx, input }) => removeModelDeployment(ctx, { ...input, actor: actorOf(ctx) }));
