/**
 * Attempts and failures over the last `windowMs`, in a fixed ring of buckets: memory stays
 * the same however many requests a deployment takes, at the price of the window sliding a
 * bucket at a time (a tenth of it by default) rather than request by request.
 */
export interface ErrorWindow {
  add(nowMs: number, isFailure: boolean): void;
  /** attempts and failures in the buckets that still lie inside the window */
  totals(nowMs: number): { attempts: number; failures: number };
  clear(): void;
}

export function createErrorWindow(windowMs: number, bucketCount = 10): ErrorWindow {
  const bucketMs = Math.max(1, Math.ceil(windowMs / bucketCount));
  // which bucket number (time / bucketMs) each slot holds now; a stale slot is reused
  const epochs = new Array<number>(bucketCount).fill(-1);
  const attempts = new Array<number>(bucketCount).fill(0);
  const failures = new Array<number>(bucketCount).fill(0);

  return {
    add(nowMs, isFailure) {
      const epoch = Math.floor(nowMs / bucketMs);
      const slot = epoch % bucketCount;
      if (epochs[slot] !== epoch) {
        epochs[slot] = epoch;
        attempts[slot] = 0;
        failures[slot] = 0;
      }
      attempts[slot] = (attempts[slot] ?? 0) + 1;
      if (isFailure) failures[slot] = (failures[slot] ?? 0) + 1;
    },
    totals(nowMs) {
      const current = Math.floor(nowMs / bucketMs);
      let attemptSum = 0;
      let failureSum = 0;
      for (let slot = 0; slot < bucketCount; slot++) {
        const epoch = epochs[slot] ?? -1;
        if (epoch > current - bucketCount && epoch <= current) {
          attemptSum += attempts[slot] ?? 0;
          failureSum += failures[slot] ?? 0;
        }
      }
      return { attempts: attemptSum, failures: failureSum };
    },
    clear() {
      epochs.fill(-1);
      attempts.fill(0);
      failures.fill(0);
    },
  };
}
