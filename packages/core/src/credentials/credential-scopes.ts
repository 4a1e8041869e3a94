import {
  DEFAULT_API_KEY_SCOPES,
  isPowerfulScope,
  isScope,
  type PowerfulScope,
  type Scope,
} from "@dsc/vocabulary";
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

/**
 * The powerful scopes among those granted, refused unless the grant acknowledges them: a
 * credential that can erase end users or export their conversations is never made by accident.
 */
export function acknowledgedPowerfulScopes(
  scopes: readonly Scope[],
  isAcknowledged: boolean | undefined,
): PowerfulScope[] {
  const powerful = scopes.filter(isPowerfulScope);
  if (powerful.length > 0 && isAcknowledged !== true) {
    throw new DomainError(
      "invalid",
      `Granting ${powerful.join(" and ")} gives access to end users' data (erasure, export). Confirm it explicitly.`,
      "scopes",
    );
  }
  return powerful;
}
