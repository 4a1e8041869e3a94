import { MEMBER_ROLE_LABELS, MEMBER_ROLES, type MemberRole } from "@dsc/trpc/schemas";

/** What each role may do, as the invite and role dialogs explain it. */
const MEMBER_ROLE_DETAILS: Record<MemberRole, string> = {
  OWNER: "manages members and everything a developer does",
  DEVELOPER: "manages keys, OAuth clients, files and webhooks",
  VIEWER: "reads keys, usage and settings",
};

export const MEMBER_ROLE_OPTIONS = MEMBER_ROLES.map((role) => ({
  value: role,
  label: MEMBER_ROLE_LABELS[role],
  detail: MEMBER_ROLE_DETAILS[role],
}));

export function isMemberRoleName(value: string): value is MemberRole {
  return (MEMBER_ROLES as readonly string[]).includes(value);
}
