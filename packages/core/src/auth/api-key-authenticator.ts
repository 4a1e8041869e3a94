import type { Database } from "@dsc/db";
import { hashApiKeySecret, looksLikeApiKeySecret } from "../keys/api-key-secret.ts";
import { CredentialCache } from "../keys/credential-cache.ts";
import type { RevocationBus } from "../keys/revocation/revocation-bus.ts";
import { verifyApiKey } from "../keys/verify-api-key.ts";
import type { Clock } from "../time/clock.ts";
import type { Principal } from "./principal.ts";

export interface ApiKeyAuthenticator {
  /** The principal of a bearer secret, or null when it does not authenticate. */
  authenticate(secret: string): Promise<Principal | null>;
  readonly cache: CredentialCache;
}

/**
 * Verifies API keys with a short in-process cache in front of the database. Subscribes to
 * revocations so that a revoked key stops working on this instance within a second.
 */
export async function createApiKeyAuthenticator(deps: {
  db: Database;
  clock: Clock;
  pepper: string;
  revocations: RevocationBus | null;
  cacheTtlMs?: number;
}): Promise<ApiKeyAuthenticator> {
  const cache = new CredentialCache(deps.clock, deps.cacheTtlMs ?? 5_000);
  await deps.revocations?.subscribe((credentialId) => {
    if (credentialId === null) cache.clear();
    else cache.evictCredential(credentialId);
  });
  return {
    cache,
    async authenticate(secret) {
      if (!looksLikeApiKeySecret(secret)) return null;
      const hash = hashApiKeySecret(secret, deps.pepper);
      const cached = cache.get(hash);
      if (cached) return cached;
      const principal = await verifyApiKey(deps, secret);
      if (principal) cache.set(hash, principal);
      return principal;
    },
  };
}
