import type { CreateCredentialInput } from "@dsc/trpc/schemas";
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

/** The words and tRPC bindings that make the shared credential page an API-key or an OAuth-client page. */
export interface CredentialKind {
  noun: string;
  nounPlural: string;
  /** what the secret is called: "secret key", "client secret" */
  secretName: string;
  description: string;
  emptyDescription: string;
  /** how the secret is used, shown with it */
  usage: (secret: string, id: string) => string;
  useList: (
    filters: CredentialFilters,
  ) => UseQueryResult<{ items: CredentialRow[]; nextCursor: string | null }, unknown>;
  useCreate: () => UseMutationResult<{ id: string; secret: string }, unknown, CreateCredentialInput>;
  useRotate: () => UseMutationResult<
    { secret: string; previousSecretExpiresAt: Date | null },
    unknown,
    { id: string; gracePeriod: "none" | "1h" | "24h" }
  >;
  useRevoke: () => UseMutationResult<unknown, unknown, { id: string }>;
}
