import { createHash } from "node:crypto";

/**
 * A short fingerprint of a person's password hash and session epoch, carried in their
 * session. Changing the password, or signing out everywhere (which raises the epoch), changes
 * it, so the sessions signed in before stop working.
 */
export function credentialVersion(user: { passwordHash: string | null; sessionEpoch: number }): string {
  return createHash("sha256")
    .update(`${user.sessionEpoch}:${user.passwordHash ?? "none"}`)
    .digest("base64url")
    .slice(0, 16);
}
