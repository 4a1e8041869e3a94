import { changeFileExpiry } from "@dsc/core";
import { actorOf, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ChangeFileExpiryInputSchema } from "./files-input.ts";

/**
 * Moves a file's expiry within the organization's retention, audited. Not compliance officers:
 * keeping a file longer is the owner's decision (and an admin's), and a hold keeps more anyway.
 */
export const changeFileExpiryProcedure = allowRoles("ADMIN", "OWNER", "DEVELOPER")
  .input(ChangeFileExpiryInputSchema)
  .mutation(({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    return changeFileExpiry(ctx, { ...input, actor: actorOf(ctx) });
  });
