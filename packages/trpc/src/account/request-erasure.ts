import { requestAccountErasure } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { RequestAccountErasureInputSchema } from "./account-input.ts";

/**
 * A member asks for their own account's erasure (and of the organizations they are the only
 * member of), due in 72 hours; their sessions end. Admins and compliance officers are erased
 * through compliance's deletion requests.
 */
export const requestErasureProcedure = allowRoles("OWNER", "DEVELOPER", "VIEWER")
  .input(RequestAccountErasureInputSchema)
  .mutation(async ({ ctx, input }) => {
    const requests = await requestAccountErasure(ctx, {
      userId: ctx.user.id,
      confirmEmail: input.confirmEmail,
      actor: actorOf(ctx),
    });
    return {
      dueAt: requests.account.dueAt,
      organizationIds: requests.organizations.map((request) => request.subjectId),
    };
  });
