import { createHash } from "node:crypto";

/**
 * A short fingerprint of a person's password hash, carried in their session. Changing the
 * password changes it, so sessions signed in with the old password stop working.
 */
export function credentialVersion(passwordHash: string | null): string {
  if (passwordHash === null) return "none";
  return createHash("sha256").update(passwordHash).digest("base64url").slice(0, 16);
}
