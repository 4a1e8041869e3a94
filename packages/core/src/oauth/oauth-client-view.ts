import type { OAuthClient } from "@dsc/db";

export type OAuthClientState = "active" | "expired" | "revoked";

/** An OAuth client as it may be shown: never the secret's hash, never the secret. */
export interface OAuthClientView {
  /** the `client_id` */
  id: string;
  organizationId: string;
  name: string;
  /** what people see to tell secrets apart, e.g. "cs-Ab3…wxyz" */
  secretPrefix: string;
  scopes: string[];
  state: OAuthClientState;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** after a secret rotation: when the previous secret stops working */
  previousSecretExpiresAt: Date | null;
}

export function oauthClientState(
  client: Pick<OAuthClient, "revokedAt" | "expiresAt">,
  now: Date,
): OAuthClientState {
  if (client.revokedAt) return "revoked";
  if (client.expiresAt && client.expiresAt <= now) return "expired";
  return "active";
}

export function toOAuthClientView(client: OAuthClient, now: Date): OAuthClientView {
  return {
    id: client.id,
    organizationId: client.organizationId,
    name: client.name,
    secretPrefix: client.secretPrefix,
    scopes: client.scopes,
    state: oauthClientState(client, now),
    createdAt: client.createdAt,
    lastUsedAt: client.lastUsedAt,
    expiresAt: client.expiresAt,
    revokedAt: client.revokedAt,
    previousSecretExpiresAt:
      client.previousSecretExpiresAt && client.previousSecretExpiresAt > now
        ? client.previousSecretExpiresAt
        : null,
  };
}
