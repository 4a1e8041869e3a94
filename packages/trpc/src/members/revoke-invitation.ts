import { revokeInvitation } from "@dsc/core";
import { actorOf, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { RevokeInvitationInputSchema } from "./members-input.ts";

/** Withdraws a pending invitation: its link stops working. */
export const revokeInvitationProcedure = allowRoles("ADMIN", "OWNER")
  .input(RevokeInvitationInputSchema)
  .mutation(async ({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    await revokeInvitation(ctx, { ...input, actor: actorOf(ctx), actorRole: ctx.user.role });
    return { revoked: true as const };
  });
