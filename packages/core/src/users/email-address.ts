import { DomainError } from "../errors/domain-error.ts";

/** E-mail addresses are compared case-insensitively: stored trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  const normalised = email.trim().toLowerCase();
  if (normalised.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(normalised)) {
    throw new DomainError("invalid", "Enter a valid e-mail address.", "email");
  }
  return normalised;
}
