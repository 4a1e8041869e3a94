import type { Database } from "@dsc/db";
import { isScope } from "@dsc/vocabulary";
import { toCredentialRecord } from "../credentials/credential-kind.ts";
import { API_KEYS } from "../credentials/credential-kinds.ts";
import { hashApiKeySecret, looksLikeApiKeySecret, matchedSecret } from "../credentials/credential-secret.ts";
import { credentialState } from "../credentials/credential-view.ts";
import type { Principal } from "../credentials/principal.ts";
import type { Clock } from "../time/clock.ts";

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
  const row = await deps.db.apiKey.findFirst({
    where: { OR: [{ hash }, { previousHash: hash, previousHashExpiresAt: { gt: now } }] },
  });
  if (!row) return null;
  const key = toCredentialRecord(API_KEYS, row);
  const matched = matchedSecret(key, hash, now);
  if (!matched || credentialState(key, now) !== "active") return null;
  const graceEnd = matched === "previous" ? key.previousSecretExpiresAt : null;
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
