import { createOrganization } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { CreateOrganizationInputSchema } from "./organizations-input.ts";

export const createOrganizationProcedure = allowRoles("ADMIN")
  .input(CreateOrganizationInputSchema)
  .mutation(({ ctx, input }) => createOrganization(ctx, { ...input, actor: actorOf(ctx) }));
