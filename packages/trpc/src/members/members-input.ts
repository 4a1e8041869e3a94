import { z } from "zod";
import { MEMBER_ROLES } from "../vocabulary.ts";

const organizationId = z.string().trim().min(1, "Choose an organization.").max(100);
const userId = z.string().trim().min(1, "Choose a member.").max(100);
const role = z.enum(MEMBER_ROLES, { error: "Choose a role: owner, developer or viewer." });

export const InviteMemberInputSchema = z.object({
  organizationId,
  email: z.email("Enter a valid e-mail address.").trim().max(254, "Use at most 254 characters."),
  role,
});
export type InviteMemberInput = z.input<typeof InviteMemberInputSchema>;

export const ListInvitationsInputSchema = z.object({ organizationId });

export const RevokeInvitationInputSchema = z.object({
  organizationId,
  invitationId: z.string().trim().min(1, "Choose an invitation.").max(100),
});

export const SetMemberRoleInputSchema = z.object({ organizationId, userId, role });
export type SetMemberRoleInput = z.input<typeof SetMemberRoleInputSchema>;

export const RemoveMemberInputSchema = z.object({ organizationId, userId });

export const TransferOwnershipInputSchema = z.object({
  organizationId,
  toUserId: userId,
  /** admins only: the owner on whose behalf; absent: the caller */
  fromUserId: userId.optional(),
});
export type TransferOwnershipInput = z.input<typeof TransferOwnershipInputSchema>;
