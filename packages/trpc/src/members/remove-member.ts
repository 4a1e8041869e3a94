import { removeMember } from "@dsc/core";
import { actorOf, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { RemoveMemberInputSchema } from "./members-input.ts";

/** Takes a member out of the organization; the last owner cannot be removed. */
export const removeMemberProcedure = allowRoles("ADMIN", "OWNER")
  .input(RemoveMemberInputSchema)
  .mutation(async ({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    await removeMember(ctx, { ...input, actor: actorOf(ctx), actorRole: ctx.user.role });
    return { removed: true as const };
  });
