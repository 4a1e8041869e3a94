import { TRPCError } from "@trpc/server";
import type { SessionUser } from "../context.ts";
import {
  ADMIN_ONLY_SCOPES,
  EXPIRY_CHOICES,
  type ExpiryChoice,
  GRACE_CHOICES,
  type GraceChoice,
} from "../vocabulary.ts";

/** Developers may not hand out scopes that only admins hold. */
export function assertGrantableScopes(user: SessionUser, scopes: readonly string[]): void {
  const adminOnly = scopes.filter((scope) => (ADMIN_ONLY_SCOPES as readonly string[]).includes(scope));
  if (adminOnly.length > 0 && user.role !== "ADMIN") {
    throw new TRPCError({ code: "FORBIDDEN", message: `only admins may grant ${adminOnly.join(", ")}` });
  }
}

export function expiryMs(choice: ExpiryChoice): number | undefined {
  return EXPIRY_CHOICES[choice].ms ?? undefined;
}

export function graceMs(choice: GraceChoice): number {
  return GRACE_CHOICES[choice].ms;
}
