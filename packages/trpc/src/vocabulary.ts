/**
 * The words the dashboard's forms and the server share, free of server-only imports so that
 * browser bundles can load them. They copy values that core owns (roles, scopes, password
 * bounds); vocabulary.test.ts fails when the two drift apart.
 */
export const ROLE_NAMES = ["ADMIN", "COMPLIANCE", "DEVELOPER"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const SCOPE_NAMES = ["models:read", "chat", "files", "users:delete", "users:export", "admin"] as const;
export type ScopeName = (typeof SCOPE_NAMES)[number];
/** what a new key or client gets unless the form says otherwise */
export const DEFAULT_SCOPE_NAMES: readonly ScopeName[] = ["models:read", "chat", "files"];
/** scopes only admins may grant */
export const ADMIN_ONLY_SCOPES: readonly ScopeName[] = ["admin"];

export const PASSWORD_BOUNDS = { min: 12, max: 200 } as const;

/** Kinds of personal data an organization may have masked, in core's order. */
export const PII_KIND_NAMES = ["email", "phone", "card", "iban", "ip", "secret"] as const;
export type PiiKindName = (typeof PII_KIND_NAMES)[number];
export const LEGAL_HOLD_REASON_MAX = 500;

export const CREDENTIAL_STATES = ["active", "expired", "revoked"] as const;
export type CredentialState = (typeof CREDENTIAL_STATES)[number];

const DAY_MS = 86_400_000;
/** How long a new key or client lives. */
export const EXPIRY_CHOICES = {
  never: { label: "Never", ms: null },
  "7d": { label: "7 days", ms: 7 * DAY_MS },
  "30d": { label: "30 days", ms: 30 * DAY_MS },
  "90d": { label: "90 days", ms: 90 * DAY_MS },
  "365d": { label: "1 year", ms: 365 * DAY_MS },
} as const;
export type ExpiryChoice = keyof typeof EXPIRY_CHOICES;
export const EXPIRY_CHOICE_NAMES = Object.keys(EXPIRY_CHOICES) as [ExpiryChoice, ...ExpiryChoice[]];

/** How long the old secret keeps working after a rotation. */
export const GRACE_CHOICES = {
  none: { label: "Stop at once", ms: 0 },
  "1h": { label: "1 hour", ms: 3_600_000 },
  "24h": { label: "24 hours", ms: DAY_MS },
} as const;
export type GraceChoice = keyof typeof GRACE_CHOICES;
export const GRACE_CHOICE_NAMES = Object.keys(GRACE_CHOICES) as [GraceChoice, ...GraceChoice[]];

export const MIB = 1024 * 1024;

/** A deletion request's status, or AT_RISK: unfinished and near or past its deadline. */
export const DELETION_REQUEST_FILTER_NAMES = [
  "AT_RISK",
  "PENDING",
  "PROCESSING",
  "FAILED",
  "COMPLETED",
] as const;
export type DeletionRequestFilterName = (typeof DELETION_REQUEST_FILTER_NAMES)[number];
/** how close to its 72-hour deadline an unfinished request is flagged */
export const NEAR_DEADLINE_HOURS = 12;
