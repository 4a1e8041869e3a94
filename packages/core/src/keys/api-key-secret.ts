import { createHmac, timingSafeEqual } from "node:crypto";
import { randomBase62 } from "../ids/public-id.ts";

export const API_KEY_PREFIX = "sk-";
/** 48 base62 characters: about 285 bits from the OS CSPRNG. */
const SECRET_LENGTH = 48;

export function generateApiKeySecret(): string {
  return `${API_KEY_PREFIX}${randomBase62(SECRET_LENGTH)}`;
}

/**
 * The keyed hash stored instead of the secret. A database leak alone does not allow
 * offline guessing, since the pepper lives outside the database.
 */
export function hashApiKeySecret(secret: string, pepper: string): string {
  return createHmac("sha256", pepper).update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function matchesApiKeyHash(secret: string, storedHash: string, pepper: string): boolean {
  const presented = Buffer.from(hashApiKeySecret(secret, pepper), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** What people see to tell keys apart, e.g. `sk-Ab3…wxyz`; reveals 7 of 48 characters. */
export function displayPrefix(secret: string): string {
  return `${secret.slice(0, API_KEY_PREFIX.length + 3)}…${secret.slice(-4)}`;
}

/** Whether a string has the shape of one of our secrets (cheap pre-check before hashing). */
export function looksLikeApiKeySecret(value: string): boolean {
  return value.length === API_KEY_PREFIX.length + SECRET_LENGTH && value.startsWith(API_KEY_PREFIX);
}
