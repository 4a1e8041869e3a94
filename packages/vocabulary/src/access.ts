/**
 * A dashboard person's platform role: ADMIN and COMPLIANCE act on every organization;
 * DEVELOPER means no platform role: the person works in organizations, with a role in each.
 */
export const ROLES = ["ADMIN", "COMPLIANCE", "DEVELOPER"] as const;
export type Role = (typeof ROLES)[number];

/** A person's role in one organization of theirs. */
export const MEMBER_ROLES = ["OWNER", "DEVELOPER", "VIEWER"] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/**
 * What a dashboard procedure's rule names: a platform role, or the caller's role in the
 * organization they work in now. Every procedure declares the ones it allows.
 */
export const ACCESS_ROLES = ["ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER"] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

export function isMemberRole(role: AccessRole | null | undefined): role is MemberRole {
  return role === "OWNER" || role === "DEVELOPER" || role === "VIEWER";
}

/** How the dashboard names each member role. */
export const MEMBER_ROLE_LABELS: Record<MemberRole, string> = {
  OWNER: "Owner",
  DEVELOPER: "Developer",
  VIEWER: "Viewer",
};

/** What a credential of the public API may do. Every endpoint declares one of these. */
export const SCOPES = ["models:read", "chat", "files", "users:delete", "users:export", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * Scopes that reach end users' data: erasing it, exporting it decrypted. An organization needs
 * them for its own end users' requests, so they stay grantable, but never by default nor in an
 * "all scopes" choice: granting one is an explicit, confirmed and audited step.
 */
export const POWERFUL_SCOPES = ["users:delete", "users:export"] as const satisfies readonly Scope[];
export type PowerfulScope = (typeof POWERFUL_SCOPES)[number];
/** How a credential holding a powerful scope is flagged wherever it is listed. */
export const POWERFUL_SCOPE_FLAGS: Record<PowerfulScope, string> = {
  "users:delete": "can erase end users",
  "users:export": "can export end users' data",
};

export function isPowerfulScope(value: string): value is PowerfulScope {
  return (POWERFUL_SCOPES as readonly string[]).includes(value);
}

/** Scopes a new API key or OAuth client gets when none are asked for. */
export const DEFAULT_API_KEY_SCOPES: readonly Scope[] = ["models:read", "chat", "files"];
/** Scopes only admins may grant. */
export const ADMIN_ONLY_SCOPES: readonly Scope[] = ["admin"];
/** Every scope a credential may be given without a further step: neither powerful nor admin-only. */
export const ORDINARY_SCOPES: readonly Scope[] = SCOPES.filter(
  (scope) => !isPowerfulScope(scope) && !ADMIN_ONLY_SCOPES.includes(scope),
);

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The states a credential (API key or OAuth client) is listed in. */
export const CREDENTIAL_STATES = ["active", "expired", "revoked"] as const;
export type CredentialState = (typeof CREDENTIAL_STATES)[number];

/** A dashboard person's password, in characters. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * Who may get an account (SIGNUP): `open`, anyone, with an organization of their own;
 * `invite`, people invited to an organization; `closed`, people an admin adds.
 */
export const SIGNUP_POLICIES = ["open", "invite", "closed"] as const;
export type SignupPolicy = (typeof SIGNUP_POLICIES)[number];
