/** Who a dashboard person is; every dashboard procedure declares the roles it allows. */
export const ROLES = ["ADMIN", "COMPLIANCE", "DEVELOPER"] as const;
export type Role = (typeof ROLES)[number];

/** What a credential of the public API may do. Every endpoint declares one of these. */
export const SCOPES = ["models:read", "chat", "files", "users:delete", "users:export", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** Scopes a new API key or OAuth client gets when none are asked for. */
export const DEFAULT_API_KEY_SCOPES: readonly Scope[] = ["models:read", "chat", "files"];
/** Scopes only admins may grant. */
export const ADMIN_ONLY_SCOPES: readonly Scope[] = ["admin"];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** The states a credential (API key or OAuth client) is listed in. */
export const CREDENTIAL_STATES = ["active", "expired", "revoked"] as const;
export type CredentialState = (typeof CREDENTIAL_STATES)[number];

/** A dashboard person's password, in characters. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;
