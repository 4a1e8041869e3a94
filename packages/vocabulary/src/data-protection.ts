/** Kinds of personal data an organization may have masked, in the order masking applies them. */
export const PII_KINDS = ["email", "phone", "card", "iban", "ip", "secret"] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export const LEGAL_HOLD_REASON_MAX_LENGTH = 500;

/** A deletion request's status, or AT_RISK: unfinished and near or past its deadline. */
export const DELETION_REQUEST_FILTERS = [
  "AT_RISK",
  "PENDING",
  "PROCESSING",
  "FAILED",
  "NEEDS_ATTENTION",
  "ON_HOLD",
  "COMPLETED",
] as const;
export type DeletionRequestFilter = (typeof DELETION_REQUEST_FILTERS)[number];

/** The statuses of a deletion request that a compliance officer may send back to the queue. */
export const RETRYABLE_DELETION_STATUSES = ["NEEDS_ATTENTION", "FAILED"] as const;
/** The statuses of a deletion request whose legal hold a compliance officer may override. */
export const HOLD_OVERRIDABLE_DELETION_STATUSES = ["ON_HOLD"] as const;

/** How close to its 72-hour deadline an unfinished deletion request is flagged. */
export const NEAR_DEADLINE_MS = 12 * 3_600_000;
