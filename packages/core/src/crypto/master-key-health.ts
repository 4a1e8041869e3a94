import { describeMasterKeyFailure, MasterKeyError, type MasterKeyFailure } from "./master-key-error.ts";

/**
 * Whether this process's master keys work: the start-up check's failures, then every failure
 * to seal because a master key could not open a data key. Readiness and metrics read it, so a
 * wrong ENCRYPTION_KEY takes the process out of service instead of dropping every log quietly.
 */
export interface MasterKeyHealth {
  /** the failing versions, each once; empty while all is well */
  failures(): readonly MasterKeyFailure[];
  /** seals that failed for a master key since start (a counter) */
  sealFailures(): number;
  /**
   * Counts `error` when it is a master key's failure and returns true; other errors (the
   * database's, say) are not the keys' and return false.
   */
  recordSealFailure(error: unknown): boolean;
  /** one line naming every failing version, for logs and exit messages; "" when none */
  describe(): string;
}

export function createMasterKeyHealth(startFailures: readonly MasterKeyFailure[]): MasterKeyHealth {
  const failing = new Map<number, MasterKeyFailure>();
  for (const failure of startFailures) failing.set(failure.version, failure);
  let sealFailures = 0;
  return {
    failures: () => [...failing.values()],
    sealFailures: () => sealFailures,
    recordSealFailure(error) {
      const failure = masterKeyFailureIn(error);
      if (!failure) return false;
      sealFailures += 1;
      if (!failing.has(failure.version)) {
        failing.set(failure.version, { version: failure.version, reason: failure.reason });
      }
      return true;
    },
    describe: () => [...failing.values()].map(describeMasterKeyFailure).join("; "),
  };
}

/** The MasterKeyError in `error` or its causes (the writer may wrap what it reports). */
function masterKeyFailureIn(error: unknown): MasterKeyError | null {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof MasterKeyError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
