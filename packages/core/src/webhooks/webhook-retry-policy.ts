/**
 * How pg-boss retries a delivery: 8 attempts in all, the delays doubling from about 10 minutes
 * (pg-boss draws each between half and all of `retryDelay · 2^n`) and capped at 6 hours, so a
 * receiver that is down is tried for roughly a day before the delivery fails.
 */
export const WEBHOOK_RETRY_POLICY = {
  retryLimit: 7,
  retryDelay: 600,
  retryBackoff: true,
  retryDelayMax: 6 * 3_600,
  /** a job is taken back from a worker that died after this long; far above the 10 s request */
  expireInSeconds: 120,
} as const;

/** The request's limit: connection, headers and what is read of the answer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** The earliest time pg-boss may try again after the `retriesSoFar`-th failure (its jitter is below). */
export function earliestRetryAt(now: Date, retriesSoFar: number): Date {
  const { retryDelay, retryDelayMax } = WEBHOOK_RETRY_POLICY;
  const n = Math.min(16, retriesSoFar + 1);
  const seconds = Math.min(retryDelayMax, (retryDelay * 2 ** n) / 2);
  return new Date(now.getTime() + seconds * 1_000);
}
