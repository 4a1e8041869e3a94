import type { Database } from "@dsc/db";
import { credentialState } from "../credentials/credential-view.ts";
import type { Principal } from "../credentials/principal.ts";
import type { RevocationBus } from "../credentials/revocation/revocation-bus.ts";
import { type AccessTokenSettings, verifyAccessToken } from "../oauth/access-token.ts";
import type { SigningKeyRing } from "../oauth/signing-key-ring.ts";
import type { Clock } from "../time/clock.ts";
import type { Authenticator } from "./authenticator.ts";

interface ClientState {
  organizationId: string;
  scopes: string[];
  revokedAt: Date | null;
  expiresAt: Date | null;
}

export interface AccessTokenAuthenticator extends Authenticator {
  /** clients whose state is cached (for tests and metrics) */
  readonly cachedClients: number;
}

/**
 * Verifies OAuth access tokens: the signature against the shared signing keys, then whether
 * the client is still active. The client's state is cached for `cacheTtlMs` and dropped when
 * a revocation message names the client, so revoking a client ends its live tokens on every
 * instance within a second. Tokens never carry more scopes than their client has now.
 */
export async function createAccessTokenAuthenticator(deps: {
  db: Database;
  clock: Clock;
  keys: SigningKeyRing;
  tokens: AccessTokenSettings;
  revocations: RevocationBus | null;
  cacheTtlMs?: number;
  maxCachedClients?: number;
}): Promise<AccessTokenAuthenticator> {
  const ttl = deps.cacheTtlMs ?? 5_000;
  const maxEntries = deps.maxCachedClients ?? 10_000;
  const states = new Map<string, { state: ClientState | null; storedAt: number }>();
  // bumped by every revocation message: a lookup that raced with one is not cached
  let generation = 0;

  await deps.revocations?.subscribe((credentialId) => {
    generation += 1;
    if (credentialId === null) states.clear();
    else states.delete(credentialId);
  });

  async function clientState(clientId: string): Promise<ClientState | null> {
    const now = deps.clock.now().getTime();
    const cached = states.get(clientId);
    if (cached && now - cached.storedAt < ttl) return cached.state;
    const startedAt = generation;
    const state = await deps.db.oAuthClient.findUnique({
      where: { id: clientId },
      select: { organizationId: true, scopes: true, revokedAt: true, expiresAt: true },
    });
    if (generation === startedAt) {
      states.delete(clientId);
      if (states.size >= maxEntries) {
        const oldest = states.keys().next().value;
        if (oldest !== undefined) states.delete(oldest);
      }
      states.set(clientId, { state, storedAt: now });
    }
    return state;
  }

  return {
    get cachedClients() {
      return states.size;
    },
    async authenticate(token) {
      const claims = await verifyAccessToken(deps, token);
      if (!claims) return null;
      const client = await clientState(claims.clientId);
      const now = deps.clock.now();
      if (!client || credentialState(client, now) !== "active") return null;
      if (client.organizationId !== claims.organizationId) return null;
      const principal: Principal = {
        kind: "oauth_client",
        credentialId: claims.clientId,
        organizationId: claims.organizationId,
        scopes: claims.scopes.filter((scope) => client.scopes.includes(scope)),
        expiresAt: claims.expiresAt,
      };
      return principal;
    },
  };
}
