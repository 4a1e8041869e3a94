import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";

// The same bounds as ADMIN_PASSWORD; the upper one keeps hashing cheap for attackers' input.
export { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH };

export function assertAcceptablePassword(password: string, param = "password"): void {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw new DomainError(
      "invalid",
      `The password must be at least ${PASSWORD_MIN_LENGTH} characters.`,
      param,
    );
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new DomainError(
      "invalid",
      `The password must be at most ${PASSWORD_MAX_LENGTH} characters.`,
      param,
    );
  }
}
