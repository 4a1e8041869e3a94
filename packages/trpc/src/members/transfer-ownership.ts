import { transferOwnership } from "@dsc/core";
import { actorOf, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { TransferOwnershipInputSchema } from "./members-input.ts";

/** An owner hands ownership to another member and becomes a developer (admins: for an owner). */
export const transferOwnershipProcedure = allowRoles("ADMIN", "OWNER")
  .input(TransferOwnershipInputSchema)
  .mutation(async ({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    await transferOwnership(ctx, { ...input, actor: actorOf(ctx), actorRole: ctx.user.role });
    return { transferred: true as const };
  });
