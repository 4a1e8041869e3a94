import { setUserRole } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { SetUserRoleInputSchema } from "./users-input.ts";

/** Role (and a developer's organization); applies to the person's next request. */
export const setUserRoleProcedure = allowRoles("ADMIN")
  .input(SetUserRoleInputSchema)
  .mutation(({ ctx, input }) =>
    setUserRole(ctx, {
      userId: input.userId,
      role: input.role,
      organizationId: input.organizationId || null,
      actor: actorOf(ctx),
    }),
  );
