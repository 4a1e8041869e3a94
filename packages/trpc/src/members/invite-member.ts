import { inviteMember } from "@dsc/core";
import { accountsOf, accountThrottleOf } from "../accounts-settings.ts";
import { actorOf, assertVerifiedEmail, assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { InviteMemberInputSchema } from "./members-input.ts";

/** Invites an address with a role; without SMTP the link comes back to be shown once. */
export const inviteMemberProcedure = allowRoles("ADMIN", "OWNER")
  .input(InviteMemberInputSchema)
  .mutation(({ ctx, input }) => {
    assertVisibleOrganization(ctx.user, input.organizationId);
    // an invitation is an e-mail sent in the inviter's name: they prove their own address first
    assertVerifiedEmail(ctx.user);
    return inviteMember(
      { db: ctx.db, clock: ctx.clock, ...accountsOf(ctx), throttle: accountThrottleOf(ctx) },
      { ...input, actor: actorOf(ctx), actorRole: ctx.user.role },
    );
  });
