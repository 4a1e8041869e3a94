import type { DomainErrorCode } from "@dsc/vocabulary";

export type { DomainErrorCode };

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
