const DAY_MS = 86_400_000;

/**
 * When a log written now expires: the tier's retention, or the organization's when it is
 * shorter (an organization can keep less, never more; legal holds are handled by the purge).
 */
export function chatLogExpiry(
  settings: { tierRetentionDays: number; organizationRetentionDays: number | null },
  now: Date,
): Date {
  const days = Math.min(
    settings.tierRetentionDays,
    settings.organizationRetentionDays ?? Number.POSITIVE_INFINITY,
  );
  return new Date(now.getTime() + Math.max(0, days) * DAY_MS);
}
