export {
  type AcceptedInvitation,
  type AcceptInvitationInput,
  acceptInvitation,
} from "./accept-invitation.ts";
export {
  type InvitationSent,
  type InviteMemberDeps,
  type InviteMemberInput,
  invitationLink,
  inviteMember,
} from "./invite-member.ts";
export { leaveOrganization } from "./leave-organization.ts";
export { listInvitations, type PendingInvitation } from "./list-invitations.ts";
export { listMyOrganizations, type MyOrganization } from "./list-my-organizations.ts";
export { INVITATION_GONE_MESSAGE, type InvitationPreview, previewInvitation } from "./preview-invitation.ts";
export { removeMember } from "./remove-member.ts";
export { revokeInvitation } from "./revoke-invitation.ts";
export { setMemberRole } from "./set-member-role.ts";
export { switchOrganization } from "./switch-organization.ts";
export { transferOwnership } from "./transfer-ownership.ts";
