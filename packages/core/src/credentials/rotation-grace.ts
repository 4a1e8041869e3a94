import { DomainError } from "../errors/domain-error.ts";

/** How long a rotated secret keeps working by default. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 3_600_000;
/** The longest grace period a rotation may give the old secret. */
export const MAX_ROTATION_GRACE_MS = 30 * 86_400_000;

/**
 * When the previous secret stops working after a rotation at `now`; null when the grace
 * period is zero (the old secret stops at once).
 */
export function rotationGraceEnd(now: Date, gracePeriodMs: number | undefined): Date | null {
  const grace = gracePeriodMs ?? DEFAULT_ROTATION_GRACE_MS;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_ROTATION_GRACE_MS) {
    throw new DomainError("invalid", "the grace period must be between 0 and 30 days", "grace");
  }
  return grace === 0 ? null : new Date(now.getTime() + grace);
}
