import type { Prisma } from "@dsc/db";

const DAY_MS = 86_400_000;

/** The retention settings a file's expiry depends on: the organization's own and its tier's. */
export interface FileRetentionSettings {
  /** null = the tier's */
  fileRetentionDays: number | null;
  tier: { fileRetentionDays: number };
}

/** The file retention that applies: the organization's own when shorter than the tier's. */
export function effectiveFileRetentionDays(org: FileRetentionSettings): number {
  return Math.min(org.fileRetentionDays ?? Number.POSITIVE_INFINITY, org.tier.fileRetentionDays);
}

/** The latest expiry a file created at `createdAt` may have: its creation plus the retention. */
export function latestFileExpiry(createdAt: Date, org: FileRetentionSettings): Date {
  return new Date(createdAt.getTime() + effectiveFileRetentionDays(org) * DAY_MS);
}

/**
 * The files the purge removes at `at`, as purgeExpiredFiles chooses them: past the expiry they
 * were written with, or older than the organization's own retention (a shortened retention
 * reaches files already uploaded). The legal hold is the caller's to check.
 */
export function purgedByWhere(organizationRetentionDays: number | null, at: Date): Prisma.FileWhereInput {
  const byExpiry: Prisma.FileWhereInput = { expiresAt: { lte: at } };
  if (organizationRetentionDays === null) return byExpiry;
  return {
    OR: [
      byExpiry,
      { createdAt: { lte: new Date(at.getTime() - Math.max(0, organizationRetentionDays) * DAY_MS) } },
    ],
  };
}
