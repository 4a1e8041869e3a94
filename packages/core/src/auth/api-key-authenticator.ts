import type { Database } from "@dsc/db";
import { looksLikeApiKeySecret, secretLookupDigest } from "../credentials/credential-secret.ts";
import type { Principal } from "../credentials/principal.ts";
import type { RevocationBus } from "../credentials/revocation/revocation-bus.ts";
import type { Clock } from "../time/clock.ts";
import { type CredentialCache, createCredentialCache } from "./credential-cache.ts";
import { verifyApiKey } from "./verify-api-key.ts";

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
  const cache = createCredentialCache(deps.clock, deps.cacheTtlMs ?? 5_000);
  // one database check per key at a time: when an entry expires under load, the requests
  // that arrive meanwhile wait for it instead of each asking the database
  const verifying = new Map<string, Promise<Principal | null>>();
  await deps.revocations?.subscribe((credentialId) => {
    // a check that began before the revocation must not put the key back in the cache
    verifying.clear();
    if (credentialId === null) cache.clear();
    else cache.evictCredential(credentialId);
  });
  return {
    cache,
    async authenticate(secret) {
      if (!looksLikeApiKeySecret(secret)) return null;
      // the database is searched by the keyed hash only on a miss (verifyApiKey)
      const digest = secretLookupDigest(secret);
      const cached = cache.get(digest);
      if (cached) return cached;
      const pending = verifying.get(digest);
      if (pending) return pending;
      const verification: Promise<Principal | null> = verifyApiKey(deps, secret)
        .then((principal) => {
          if (principal && verifying.get(digest) === verification) cache.set(digest, principal);
          return principal;
        })
        .finally(() => {
          if (verifying.get(digest) === verification) verifying.delete(digest);
        });
      verifying.set(digest, verification);
      return verification;
    },
  };
}
