/** Failed attempts after which a request waits for a person instead of being retried. */
export const MAX_DELETION_ATTEMPTS = 8;

const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 6 * 3_600_000;

/**
 * How long a request waits after its `attempts`-th failure: 1 min, 2, 4, … up to 6 hours, so a
 * passing fault (a storage outage) is retried soon and a lasting one does not spin.
 */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}
