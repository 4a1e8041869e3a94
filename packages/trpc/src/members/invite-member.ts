import { inviteMember } from "@dsc/core";
import { actorOf, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { accountsOf } from "./accounts-settings.ts";
import { InviteMemberInputSchema } from "./members-input.ts";

/** Invites an address with a role; without SMTP the link comes back to be shown once. */
export const inviteMemberProcedure = allowRoles("ADMIN", "OWNER")
  .input(InviteMemberInputSchema)
  .mutation(({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    return inviteMember(
      { db: ctx.db, clock: ctx.clock, ...accountsOf(ctx) },
      { ...input, actor: actorOf(ctx), actorRole: ctx.user.role },
    );
  });
