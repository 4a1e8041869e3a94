import { acceptInvitation } from "@dsc/core";
import { accountsOf } from "../accounts-settings.ts";
import { allowAnyone } from "../procedure.ts";
import { AcceptInvitationInputSchema } from "./invitations-input.ts";

/**
 * Joins the invited organization: signed in as the person invited, or signed out with a new
 * account for an address that has none (the page then signs it in).
 */
export const acceptInvitationProcedure = allowAnyone()
  .input(AcceptInvitationInputSchema)
  .mutation(async ({ ctx, input }) => {
    const accepted = await acceptInvitation(
      { ...ctx, signup: accountsOf(ctx).signup },
      {
        token: input.token,
        signedInUserId: ctx.user?.id ?? null,
        newAccount: ctx.user ? null : (input.newAccount ?? null),
        origin: ctx.origin,
      },
    );
    return {
      email: accepted.email,
      organizationId: accepted.organizationId,
      organizationName: accepted.organizationName,
      role: accepted.role,
      accountCreated: accepted.accountCreated,
    };
  });
