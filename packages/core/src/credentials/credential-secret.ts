import { createHmac, hash, timingSafeEqual } from "node:crypto";
import { randomBase62 } from "../ids/public-id.ts";

export const API_KEY_PREFIX = "sk-";
/**
 * Client secrets have a prefix of their own: presented as a bearer token one authenticates
 * nothing; it is only exchanged for access tokens at the token endpoint.
 */
export const CLIENT_SECRET_PREFIX = "cs-";
/** 48 base62 characters: about 285 bits from the OS CSPRNG. */
const SECRET_LENGTH = 48;

/** A new secret of a credential whose secrets start with `prefix`. */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBase62(SECRET_LENGTH)}`;
}

/** Whether a string has the shape of a secret with `prefix` (cheap pre-check before hashing). */
export function looksLikeSecret(prefix: string, value: string): boolean {
  return value.length === prefix.length + SECRET_LENGTH && value.startsWith(prefix);
}

export const generateApiKeySecret = (): string => generateSecret(API_KEY_PREFIX);
export const looksLikeApiKeySecret = (value: string): boolean => looksLikeSecret(API_KEY_PREFIX, value);
export const generateClientSecret = (): string => generateSecret(CLIENT_SECRET_PREFIX);
export const looksLikeClientSecret = (value: string): boolean => looksLikeSecret(CLIENT_SECRET_PREFIX, value);

/**
 * The keyed hash stored instead of a secret (of an API key or an OAuth client alike). A
 * database leak alone does not allow offline guessing, since the pepper lives outside the database.
 */
export function hashApiKeySecret(secret: string, pepper: string): string {
  return createHmac("sha256", pepper).update(secret, "utf8").digest("hex");
}

/**
 * What a process looks a presented secret up by in its own memory (the credential cache): an
 * unkeyed SHA-256, a fraction of the keyed hash's cost, since OpenSSL sets an HMAC up afresh on
 * every call. It reveals nothing of a generated secret (about 285 bits); what is stored, and
 * what the database is searched by, stays the keyed hash.
 */
export function secretLookupDigest(secret: string): string {
  return hash("sha256", secret, "base64");
}

/** Constant-time comparison of a presented secret's hash with a stored hash. */
export function matchesHash(presentedHash: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const presented = Buffer.from(presentedHash, "hex");
  const stored = Buffer.from(storedHash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function matchesApiKeyHash(secret: string, storedHash: string, pepper: string): boolean {
  return matchesHash(hashApiKeySecret(secret, pepper), storedHash);
}

/** What people see to tell secrets apart, e.g. `sk-Ab3…wxyz`; reveals 7 of 48 characters. */
export function displayPrefix(secret: string): string {
  return `${secret.slice(0, API_KEY_PREFIX.length + 3)}…${secret.slice(-4)}`;
}

/**
 * Which of a credential's secrets a presented hash is: its current one, or its previous one
 * while the rotation's grace period lasts; null for neither. Both are compared every time,
 * in constant time, so timing does not tell them apart.
 */
export function matchedSecret(
  stored: { secretHash: string; previousSecretHash: string | null; previousSecretExpiresAt: Date | null },
  presentedHash: string,
  now: Date,
): "current" | "previous" | null {
  const isCurrent = matchesHash(presentedHash, stored.secretHash);
  const isPrevious = matchesHash(presentedHash, stored.previousSecretHash);
  if (isCurrent) return "current";
  const inGrace = stored.previousSecretExpiresAt !== null && stored.previousSecretExpiresAt > now;
  return isPrevious && inGrace ? "previous" : null;
}
