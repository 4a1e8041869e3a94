import type { CredentialState } from "@dsc/vocabulary";
import type { CredentialKind, CredentialRecord, CredentialType, PrefixField } from "./credential-kind.ts";

interface CredentialViewFields {
  /** the key id, or the `client_id` */
  id: string;
  organizationId: string;
  name: string;
  scopes: string[];
  state: CredentialState;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** after a rotation: when the previous secret stops working */
  previousSecretExpiresAt: Date | null;
}

/**
 * A credential as it may be shown: never the hash, never the secret. The display prefix of
 * the secret (e.g. "sk-Ab3…wxyz") is `prefix` for keys and `secretPrefix` for clients.
 */
export type CredentialView<T extends CredentialType> = CredentialViewFields & Record<PrefixField<T>, string>;
export type ApiKeyView = CredentialView<"api_key">;
export type OAuthClientView = CredentialView<"oauth_client">;

export function credentialState(
  credential: { revokedAt: Date | null; expiresAt: Date | null },
  now: Date,
): CredentialState {
  if (credential.revokedAt) return "revoked";
  if (credential.expiresAt && credential.expiresAt <= now) return "expired";
  return "active";
}

export function toCredentialView<T extends CredentialType>(
  kind: CredentialKind<T>,
  record: CredentialRecord,
  now: Date,
): CredentialView<T> {
  return {
    id: record.id,
    organizationId: record.organizationId,
    name: record.name,
    [kind.prefixField]: record.secretPrefix,
    scopes: record.scopes,
    state: credentialState(record, now),
    createdAt: record.createdAt,
    lastUsedAt: record.lastUsedAt,
    expiresAt: record.expiresAt,
    revokedAt: record.revokedAt,
    previousSecretExpiresAt:
      record.previousSecretExpiresAt && record.previousSecretExpiresAt > now
        ? record.previousSecretExpiresAt
        : null,
  } as unknown as CredentialView<T>;
}
