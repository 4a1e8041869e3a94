import { setMemberRole } from "@dsc/core";
import { actorOf, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { SetMemberRoleInputSchema } from "./members-input.ts";

/** Gives a member another role; the last owner stays an owner. */
export const setMemberRoleProcedure = allowRoles("ADMIN", "OWNER")
  .input(SetMemberRoleInputSchema)
  .mutation(({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    return setMemberRole(ctx, { ...input, actor: actorOf(ctx), actorRole: ctx.user.role });
  });
