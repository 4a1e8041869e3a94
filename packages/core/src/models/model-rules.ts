import { DomainError } from "../errors/domain-error.ts";

/**
 * A public model id as clients send it: letters, digits, dots, dashes, underscores and colons
 * (`deepseek-chst-1.0`, `llama3:8b`), starting and ending with a letter or digit. No slash, so
 * that `/v1/models/{model}` names it in one path segment.
 */
export const MODEL_ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._:-]{0,126}[A-Za-z0-9])?$/;

export const MAX_PRICE_PER_M_TOKENS = 999_999;
export const MAX_CONTEXT_WINDOW = 10_000_000;

export function assertValidModelId(id: string, param = "modelId"): string {
  const trimmed = id.trim();
  if (!MODEL_ID_PATTERN.test(trimmed)) {
    throw new DomainError(
      "invalid",
      "A model id is 1 to 128 letters, digits, dots, dashes, underscores or colons, starting and ending with a letter or digit.",
      param,
    );
  }
  return trimmed;
}

/** USD per million tokens: 0 to 999,999 with at most 6 decimals (the column's precision). */
export function assertValidPrice(value: number, param: string): void {
  if (!Number.isFinite(value) || value < 0 || value > MAX_PRICE_PER_M_TOKENS) {
    throw new DomainError(
      "invalid",
      `A price is a number of US dollars per million tokens from 0 to ${MAX_PRICE_PER_M_TOKENS.toLocaleString("en")}.`,
      param,
    );
  }
  if (Number(value.toFixed(6)) !== value) {
    throw new DomainError("invalid", "A price has at most 6 decimals.", param);
  }
}

export function assertValidContextWindow(value: number): void {
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_CONTEXT_WINDOW) {
    throw new DomainError(
      "invalid",
      `The context window is a whole number of tokens from 1 to ${MAX_CONTEXT_WINDOW.toLocaleString("en")}.`,
      "contextWindow",
    );
  }
}

export function assertValidOwner(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > 100) {
    throw new DomainError("invalid", "The owner (`owned_by`) is 1 to 100 characters.", "ownedBy");
  }
  return trimmed;
}
