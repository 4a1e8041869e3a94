import { changePassword } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ChangePasswordInputSchema } from "./account-input.ts";

/** Replaces the caller's own password; their sessions end and the page signs in again. */
export const changePasswordProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER")
  .input(ChangePasswordInputSchema)
  .mutation(async ({ ctx, input }) => {
    await changePassword(ctx, {
      userId: ctx.user.id,
      currentPassword: input.currentPassword,
      newPassword: input.newPassword,
      actor: actorOf(ctx),
    });
    return { changed: true as const };
  });
