import { DomainError } from "../errors/domain-error.ts";

/** The editable limits of a tier; null = unlimited where allowed. */
export interface TierLimits {
  name: string;
  requestsPerMinute: number;
  tokensPerMinute: number | null;
  monthlyTokenQuota: number | null;
  maxFileBytes: number;
  /** the most bytes an organization's live files hold together; null = unlimited */
  maxStorageBytes: number | null;
  chatLogRetentionDays: number;
  fileRetentionDays: number;
}

const UNLIMITED_ALLOWED = new Set(["tokensPerMinute", "monthlyTokenQuota", "maxStorageBytes"]);

const BOUNDS = {
  requestsPerMinute: [1, 1_000_000],
  tokensPerMinute: [1, 1_000_000_000],
  monthlyTokenQuota: [1, 1_000_000_000_000],
  maxFileBytes: [1, 1024 ** 4],
  maxStorageBytes: [1, 1024 ** 5],
  chatLogRetentionDays: [1, 3650],
  fileRetentionDays: [1, 3650],
} as const satisfies Record<string, readonly [number, number]>;

/** Checks the limits present in `limits`; the boundary's schema says the same, this is the rule. */
export function assertValidTierLimits(limits: Partial<TierLimits>): void {
  if (limits.name !== undefined) {
    const name = limits.name.trim();
    if (name.length === 0 || name.length > 100) {
      throw new DomainError("invalid", "The name must be 1 to 100 characters.", "name");
    }
  }
  for (const [field, [min, max]] of Object.entries(BOUNDS)) {
    const value = limits[field as keyof typeof BOUNDS];
    if (value === undefined || value === null) {
      if (value === null && UNLIMITED_ALLOWED.has(field)) continue;
      if (value === null) throw new DomainError("invalid", `${field} cannot be unlimited.`, field);
      continue;
    }
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new DomainError("invalid", `${field} must be a whole number from ${min} to ${max}.`, field);
    }
  }
}
