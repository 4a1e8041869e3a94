/**
 * The words the dashboard's forms and the server share, free of server-only imports so that
 * browser bundles can load them: the platform's vocabulary, and the choices only forms offer.
 */
import { NEAR_DEADLINE_MS } from "@dsc/vocabulary";

export * from "@dsc/vocabulary";

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

/** how close to its 72-hour deadline an unfinished request is flagged, for the forms' wording */
export const NEAR_DEADLINE_HOURS = NEAR_DEADLINE_MS / 3_600_000;
