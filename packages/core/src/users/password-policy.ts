import { DomainError } from "../errors/domain-error.ts";

/** The same bounds as ADMIN_PASSWORD; the upper one keeps hashing cheap for attackers' input. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

export function assertAcceptablePassword(password: string, param = "password"): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new DomainError(
      "invalid",
      `the password must be at least ${PASSWORD_MIN_LENGTH} characters`,
      param,
    );
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new DomainError("invalid", `the password must be at most ${PASSWORD_MAX_LENGTH} characters`, param);
  }
}
