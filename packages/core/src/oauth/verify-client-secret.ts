import type { Database, OAuthClient } from "@dsc/db";
import { toCredentialRecord } from "../credentials/credential-kind.ts";
import { OAUTH_CLIENTS } from "../credentials/credential-kinds.ts";
import { hashApiKeySecret, looksLikeClientSecret, matchedSecret } from "../credentials/credential-secret.ts";
import { credentialState } from "../credentials/credential-view.ts";
import type { Clock } from "../time/clock.ts";

const CLIENT_ID_SHAPE = /^oc_[0-9A-Za-z]{24}$/;

/** Whether a string has the shape of a client id (before touching the database or a limiter). */
export function looksLikeClientId(value: string): boolean {
  return CLIENT_ID_SHAPE.test(value);
}

/**
 * The client whose id and secret these are, or null when the client is unknown, revoked or
 * expired, or the secret is wrong. A rotated client's previous secret is accepted until its
 * grace period ends. Comparisons are constant-time, and the secret is hashed whatever the id,
 * so timing says little about which ids exist.
 */
export async function verifyClientSecret(
  deps: { db: Database; clock: Clock; pepper: string },
  input: { clientId: string; clientSecret: string },
): Promise<OAuthClient | null> {
  const presented = hashApiKeySecret(input.clientSecret, deps.pepper);
  if (!looksLikeClientId(input.clientId) || !looksLikeClientSecret(input.clientSecret)) return null;
  const client = await deps.db.oAuthClient.findUnique({ where: { id: input.clientId } });
  if (!client) return null;
  const now = deps.clock.now();
  if (!matchedSecret(toCredentialRecord(OAUTH_CLIENTS, client), presented, now)) return null;
  return credentialState(client, now) === "active" ? client : null;
}
