import { router } from "../procedure.ts";
import { inviteMemberProcedure } from "./invite-member.ts";
import { listInvitationsProcedure } from "./list-invitations.ts";
import { removeMemberProcedure } from "./remove-member.ts";
import { revokeInvitationProcedure } from "./revoke-invitation.ts";
import { setMemberRoleProcedure } from "./set-member-role.ts";
import { transferOwnershipProcedure } from "./transfer-ownership.ts";

export const membersRouter = router({
  invite: inviteMemberProcedure,
  invitations: listInvitationsProcedure,
  revokeInvitation: revokeInvitationProcedure,
  setRole: setMemberRoleProcedure,
  remove: removeMemberProcedure,
  transferOwnership: transferOwnershipProcedure,
});
