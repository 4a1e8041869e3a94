/** Why a master key version cannot be used: it is not in ENCRYPTION_KEY, or it is another key. */
export type MasterKeyFailureReason = "not_configured" | "wrong_key";

export interface MasterKeyFailure {
  version: number;
  reason: MasterKeyFailureReason;
}

/**
 * A master key version that cannot open what it wrapped. An Error of its own so that whoever
 * catches a failed seal can tell a wrong ENCRYPTION_KEY (fatal for every log) from a database
 * error (passing).
 */
export class MasterKeyError extends Error implements MasterKeyFailure {
  readonly version: number;
  readonly reason: MasterKeyFailureReason;

  constructor(failure: MasterKeyFailure, options?: { cause?: unknown }) {
    super(describeMasterKeyFailure(failure), options);
    this.name = "MasterKeyError";
    this.version = failure.version;
    this.reason = failure.reason;
  }
}

/** One sentence an operator can act on; names the version, never a key. */
export function describeMasterKeyFailure(failure: MasterKeyFailure): string {
  return failure.reason === "not_configured"
    ? `master key version ${failure.version} wraps stored data keys but is not in ENCRYPTION_KEY`
    : `master key version ${failure.version} in ENCRYPTION_KEY is not the key that wrapped the stored data keys`;
}
