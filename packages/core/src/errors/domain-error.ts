/** The closed set of failures the domain reports; each boundary maps them once. */
export type DomainErrorCode =
  | "invalid"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "quota_exceeded"
  | "payload_too_large"
  | "unavailable";

export class DomainError extends Error {
  override readonly name = "DomainError";

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** the input field at fault, when there is one */
    readonly param: string | null = null,
    /** a more specific machine-readable code for API clients, e.g. "model_not_found" */
    readonly reason: string | null = null,
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
