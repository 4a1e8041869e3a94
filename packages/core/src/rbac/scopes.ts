/** What a credential of the public API may do. Every endpoint declares one of these. */
export const SCOPES = ["models:read", "chat", "files", "users:delete", "users:export", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** Scopes a new API key gets when none are asked for. */
export const DEFAULT_API_KEY_SCOPES: readonly Scope[] = ["models:read", "chat", "files"];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
