import type { CreateCredentialInput, GraceChoice } from "@dsc/trpc/schemas";
import type { UseMutationResult, UseQueryResult } from "@tanstack/react-query";

/** An API key or an OAuth client, as the credential pages show it. */
export interface CredentialRow {
  id: string;
  name: string;
  organizationId: string;
  organizationName: string;
  /** the display prefix of the secret, e.g. "sk-Ab3…wxyz" */
  prefix: string;
  scopes: string[];
  state: "active" | "expired" | "revoked";
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  previousSecretExpiresAt: Date | null;
}

export interface CredentialFilters {
  organizationId: string | undefined;
  state: "active" | "expired" | "revoked" | undefined;
  after: string | undefined;
}

/** Where a kind of credential lives in the tRPC router, and what its fields are called there. */
export interface CredentialRoutes {
  router: "apiKeys" | "oauthClients";
  rotate: "rotate" | "rotateSecret";
  idField: "apiKeyId" | "clientId";
  /** what a create or rotate result calls the credential */
  resultField: "key" | "client";
  prefixField: "prefix" | "secretPrefix";
}

/** The words and tRPC routes that make the shared credential page an API-key or an OAuth-client page. */
export interface CredentialKindSpec {
  noun: string;
  nounPlural: string;
  /** what the secret is called: "secret key", "client secret" */
  secretName: string;
  description: string;
  emptyDescription: string;
  /** how the secret is used, shown with it */
  usage: (secret: string, id: string, gatewayUrl: string) => string;
  routes: CredentialRoutes;
}

/** A kind as the page's components use it: the gateway's address and the tRPC hooks bound. */
export interface CredentialKind extends Omit<CredentialKindSpec, "usage" | "routes"> {
  usage: (secret: string, id: string) => string;
  useList: (
    filters: CredentialFilters,
  ) => UseQueryResult<{ items: CredentialRow[]; nextCursor: string | null }, unknown>;
  useCreate: () => UseMutationResult<{ id: string; secret: string }, unknown, CreateCredentialInput>;
  useRotate: () => UseMutationResult<
    { secret: string; previousSecretExpiresAt: Date | null },
    unknown,
    { id: string; gracePeriod: GraceChoice }
  >;
  useRevoke: () => UseMutationResult<unknown, unknown, { id: string }>;
}
