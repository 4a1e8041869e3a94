import type { ApiKey } from "@dsc/db";

export type ApiKeyState = "active" | "expired" | "revoked";

/** An API key as it may be shown: never the hash, never the secret. */
export interface ApiKeyView {
  id: string;
  organizationId: string;
  name: string;
  prefix: string;
  scopes: string[];
  state: ApiKeyState;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** after a rotation: when the previous secret stops working */
  previousSecretExpiresAt: Date | null;
}

export function apiKeyState(key: Pick<ApiKey, "revokedAt" | "expiresAt">, now: Date): ApiKeyState {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && key.expiresAt <= now) return "expired";
  return "active";
}

export function toApiKeyView(key: ApiKey, now: Date): ApiKeyView {
  return {
    id: key.id,
    organizationId: key.organizationId,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    state: apiKeyState(key, now),
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    expiresAt: key.expiresAt,
    revokedAt: key.revokedAt,
    previousSecretExpiresAt:
      key.previousHashExpiresAt && key.previousHashExpiresAt > now ? key.previousHashExpiresAt : null,
  };
}
