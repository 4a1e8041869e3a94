import type { Database, Prisma } from "@dsc/db";
import type { CredentialKind, CredentialTable } from "./credential-kind.ts";
import { API_KEY_PREFIX, CLIENT_SECRET_PREFIX } from "./credential-secret.ts";

// The generated delegates' generic signatures are narrower than CredentialTable's; the
// lifecycle only passes them arguments built from the kind's own column names.
const tableOf = (db: Database | Prisma.TransactionClient, model: "apiKey" | "oAuthClient") =>
  db[model] as unknown as CredentialTable;

/** API keys: `key_…` ids, `sk-…` secrets presented as bearer tokens. */
export const API_KEYS: CredentialKind<"api_key"> = {
  type: "api_key",
  noun: "API key",
  idKind: "apiKey",
  defaultName: "Secret key",
  secretPrefix: API_KEY_PREFIX,
  table: (db) => tableOf(db, "apiKey"),
  columns: {
    secretHash: "hash",
    secretPrefix: "prefix",
    previousSecretHash: "previousHash",
    previousSecretExpiresAt: "previousHashExpiresAt",
  },
  actions: { create: "api_key.create", rotate: "api_key.rotate", revoke: "api_key.revoke" },
  publishesRotation: true,
  prefixField: "prefix",
  resultField: "key",
  idField: "apiKeyId",
};

/** OAuth clients: `oc_…` ids (the `client_id`), `cs-…` secrets exchanged for access tokens. */
export const OAUTH_CLIENTS: CredentialKind<"oauth_client"> = {
  type: "oauth_client",
  noun: "OAuth client",
  idKind: "oauthClient",
  defaultName: "OAuth client",
  secretPrefix: CLIENT_SECRET_PREFIX,
  table: (db) => tableOf(db, "oAuthClient"),
  columns: {
    secretHash: "secretHash",
    secretPrefix: "secretPrefix",
    previousSecretHash: "previousSecretHash",
    previousSecretExpiresAt: "previousSecretExpiresAt",
  },
  actions: {
    create: "oauth_client.create",
    rotate: "oauth_client.rotate_secret",
    revoke: "oauth_client.revoke",
  },
  publishesRotation: false,
  prefixField: "secretPrefix",
  resultField: "client",
  idField: "clientId",
};
