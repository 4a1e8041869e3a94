import type { Prisma } from "@dsc/db";
import type { AccessRole, MemberRole, Role } from "@dsc/vocabulary";
import { credentialVersion } from "./credential-version.ts";
import { toUserIdentity, type UserIdentity } from "./user-identity.ts";

/** What a session needs of a person besides their row: the organizations they belong to. */
export const SESSION_USER_INCLUDE = {
  memberships: { select: { organizationId: true, role: true }, orderBy: { createdAt: "asc" } },
} as const satisfies Prisma.UserInclude;

type SessionUserRow = Prisma.UserGetPayload<{ include: typeof SESSION_USER_INCLUDE }>;

/** Who a signed-in person is, as their session and every dashboard request see them. */
export interface SessionIdentity extends Omit<UserIdentity, "role"> {
  /** ADMIN, COMPLIANCE, or DEVELOPER (no platform role: the person works in organizations) */
  platformRole: Role;
  /**
   * What the dashboard's rules test: the platform role, or the person's role in the
   * organization they work in now; null for someone who belongs to no organization (yet).
   */
  role: AccessRole | null;
  /** the organization they work in now (null for platform roles and people of no organization) */
  organizationId: string | null;
  /** how many organizations they belong to: the switcher shows only for more than one */
  organizationCount: number;
  /** whether they proved they receive mail at their address: keys need it */
  emailVerified: boolean;
  /** changes with the password and when signing out everywhere; a session with an older one is over */
  credentialVersion: string;
  /** an admin set their password: until they choose their own, only their account page works */
  mustChangePassword: boolean;
}

export function toSessionIdentity(user: SessionUserRow): SessionIdentity {
  const { role: platformRole, ...identity } = toUserIdentity(user);
  const membership = currentMembership(user);
  return {
    ...identity,
    platformRole,
    role: platformRole === "DEVELOPER" ? (membership?.role ?? null) : platformRole,
    organizationId: platformRole === "DEVELOPER" ? (membership?.organizationId ?? null) : null,
    organizationCount: user.memberships.length,
    emailVerified: user.emailVerified !== null,
    credentialVersion: credentialVersion(user),
    mustChangePassword: user.mustChangePassword,
  };
}

/**
 * The membership a person works in now: the organization they chose, or, once they no longer
 * belong to it, the oldest of theirs.
 */
function currentMembership(user: SessionUserRow): { organizationId: string; role: MemberRole } | null {
  return (
    user.memberships.find((membership) => membership.organizationId === user.organizationId) ??
    user.memberships[0] ??
    null
  );
}
