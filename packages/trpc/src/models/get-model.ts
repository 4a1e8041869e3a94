import { getModel } from "@dsc/core";
import { allowRoles } from "../procedure.ts";
import { ModelRefInputSchema } from "./models-input.ts";

export const getModelProcedure = allowRoles("ADMIN")
  .input(ModelRefInputSchema)
  .query(({ ctx, input }) => getModel(ctx, input));
