import { listInvitations } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ListInvitationsInputSchema } from "./members-input.ts";

/** An organization's pending invitations: address, role, who invited, until when. */
export const listInvitationsProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER")
  .input(ListInvitationsInputSchema)
  .query(({ ctx, input }) =>
    listInvitations(ctx, { organizationId: input.organizationId, visibleTo: ownOrganization(ctx.user) }),
  );
