import { DEFAULT_API_KEY_SCOPES, isScope, type Scope } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";

/** The scopes a new credential asks for, checked; the defaults when none are asked for. */
export function normaliseScopes(requested: readonly string[] | undefined): Scope[] {
  if (!requested || requested.length === 0) return [...DEFAULT_API_KEY_SCOPES];
  const unknown = requested.filter((scope) => !isScope(scope));
  if (unknown.length > 0) {
    throw new DomainError("invalid", `unknown scope(s): ${unknown.join(", ")}`, "scopes");
  }
  return [...new Set(requested as Scope[])];
}
