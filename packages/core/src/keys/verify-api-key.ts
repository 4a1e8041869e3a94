import type { Database } from "@dsc/db";
import { isScope } from "@dsc/vocabulary";
import type { Principal } from "../auth/principal.ts";
import type { Clock } from "../time/clock.ts";
import { hashApiKeySecret, looksLikeApiKeySecret, matchesApiKeyHash } from "./api-key-secret.ts";

/**
 * The principal of a presented API key, or null when the key is unknown, revoked or expired.
 * The row is found by its keyed hash (an index lookup that reveals nothing about near
 * misses), then compared in constant time. A rotated key's previous secret is accepted
 * until its grace period ends.
 */
export async function verifyApiKey(
  deps: { db: Database; clock: Clock; pepper: string },
  secret: string,
): Promise<Principal | null> {
  if (!looksLikeApiKeySecret(secret)) return null;
  const hash = hashApiKeySecret(secret, deps.pepper);
  const now = deps.clock.now();
  const key = await deps.db.apiKey.findFirst({
    where: { OR: [{ hash }, { previousHash: hash, previousHashExpiresAt: { gt: now } }] },
  });
  if (!key) return null;
  const storedHash = key.hash === hash ? key.hash : (key.previousHash ?? "");
  if (!matchesApiKeyHash(secret, storedHash, deps.pepper)) return null;
  if (key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return null;
  const graceEnd = key.hash === hash ? null : key.previousHashExpiresAt;
  return {
    kind: "api_key",
    credentialId: key.id,
    organizationId: key.organizationId,
    scopes: key.scopes.filter(isScope),
    expiresAt: earliest(key.expiresAt, graceEnd),
  };
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a < b ? a : b;
}
