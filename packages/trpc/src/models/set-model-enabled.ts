import { setModelEnabled } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { SetModelEnabledInputSchema } from "./models-input.ts";

/** Every gateway answers a disabled model with 404 once the change's notification arrives. */
export const setModelEnabledProcedure = allowRoles("ADMIN")
  .input(SetModelEnabledInputSchema)
  .mutation(({ ctx, input }) => setModelEnabled(ctx, { ...input, actor: actorOf(ctx) }));
