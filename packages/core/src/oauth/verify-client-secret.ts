import { timingSafeEqual } from "node:crypto";
import type { Database, OAuthClient } from "@dsc/db";
import { hashApiKeySecret } from "../keys/api-key-secret.ts";
import type { Clock } from "../time/clock.ts";
import { looksLikeClientSecret } from "./oauth-client-secret.ts";
import { oauthClientState } from "./oauth-client-view.ts";

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
  const presented = Buffer.from(hashApiKeySecret(input.clientSecret, deps.pepper), "hex");
  if (!looksLikeClientId(input.clientId) || !looksLikeClientSecret(input.clientSecret)) return null;
  const client = await deps.db.oAuthClient.findUnique({ where: { id: input.clientId } });
  if (!client) return null;
  const now = deps.clock.now();
  const matches = (stored: string | null) => {
    if (!stored) return false;
    const bytes = Buffer.from(stored, "hex");
    return bytes.length === presented.length && timingSafeEqual(bytes, presented);
  };
  const inGrace = client.previousSecretExpiresAt !== null && client.previousSecretExpiresAt > now;
  const matchesCurrent = matches(client.secretHash);
  const matchesPrevious = matches(client.previousSecretHash) && inGrace;
  if (!matchesCurrent && !matchesPrevious) return null;
  return oauthClientState(client, now) === "active" ? client : null;
}
