import { leaveOrganization } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { LeaveOrganizationInputSchema } from "./leave-organization-input.ts";

/** Leaves one of one's organizations (any of them, not only the current); the last owner cannot. */
export const leaveOrganizationProcedure = allowRoles("OWNER", "DEVELOPER", "VIEWER")
  .input(LeaveOrganizationInputSchema)
  .mutation(async ({ ctx, input }) => {
    await leaveOrganization(ctx, {
      userId: ctx.user.id,
      organizationId: input.organizationId,
      actor: actorOf(ctx),
    });
    return { left: true as const };
  });
