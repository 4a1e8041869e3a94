/**
 * How often the worker's file purge runs (its cron is built from this), so that the dashboard
 * can say when the next run is without importing the worker: every 10 minutes, on the clock.
 */
export const FILE_PURGE_INTERVAL_MINUTES = 10;

/** The purge job's cron expression (UTC). */
export const FILE_PURGE_SCHEDULE = `*/${FILE_PURGE_INTERVAL_MINUTES} * * * *`;

const INTERVAL_MS = FILE_PURGE_INTERVAL_MINUTES * 60_000;

/** When the purge next starts after `now`: the next multiple of the interval past the hour. */
export function nextFilePurgeAt(now: Date): Date {
  return new Date((Math.floor(now.getTime() / INTERVAL_MS) + 1) * INTERVAL_MS);
}
