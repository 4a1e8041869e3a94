import type { Database, Prisma } from "@dsc/db";
import type { IdKind } from "../ids/public-id.ts";

/**
 * What differs between the two kinds of credential, at the type level: the name of the display
 * prefix in a view, of the view in a create or rotate result, and of the id in an input. The
 * names are those callers have used all along (`key.prefix`, `client.secretPrefix`, ...).
 */
export interface CredentialShapes {
  api_key: { prefixField: "prefix"; resultField: "key"; idField: "apiKeyId" };
  oauth_client: { prefixField: "secretPrefix"; resultField: "client"; idField: "clientId" };
}

/** `api_key` or `oauth_client`: the audit target type, and the Principal's kind. */
export type CredentialType = keyof CredentialShapes;
export type PrefixField<T extends CredentialType> = CredentialShapes[T]["prefixField"];
export type ResultField<T extends CredentialType> = CredentialShapes[T]["resultField"];
export type IdField<T extends CredentialType> = CredentialShapes[T]["idField"];

/** A credential row, whichever table it comes from, with the secret columns under one set of names. */
export interface CredentialRecord {
  id: string;
  organizationId: string;
  name: string;
  secretHash: string;
  secretPrefix: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: Date | null;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** The columns of the secret, which the two tables name differently. */
export type SecretColumns = Record<
  "secretHash" | "secretPrefix" | "previousSecretHash" | "previousSecretExpiresAt",
  string
>;

type Row = Record<string, unknown>;

/**
 * The Prisma delegate calls the lifecycle makes. Both tables' delegates have these; their
 * generated argument types differ by column name only, which the descriptor's columns bridge.
 */
export interface CredentialTable {
  findFirst(args: { where: Row; include?: Row }): Promise<Row | null>;
  findMany(args: Row): Promise<Row[]>;
  create(args: { data: Row }): Promise<Row>;
  update(args: { where: { id: string }; data: Row }): Promise<Row>;
}

/** One kind of credential as data: where it is stored and what it is called. */
export interface CredentialKind<T extends CredentialType> {
  type: T;
  /** how messages name it: "API key", "OAuth client" */
  noun: string;
  idKind: IdKind;
  /** what a credential created without a name is called */
  defaultName: string;
  secretPrefix: string;
  /** the table's delegate, in a transaction or not */
  table(db: Database | Prisma.TransactionClient): CredentialTable;
  columns: SecretColumns;
  /** audit actions; the target type is `type` */
  actions: { create: string; rotate: string; revoke: string };
  /**
   * Whether a rotation is published on the revocation bus. API keys are cached by their secret's
   * hash, so gateways must drop them for the old secret's grace end to apply at once; client
   * secrets are checked only at the token endpoint, never cached.
   */
  publishesRotation: boolean;
  prefixField: PrefixField<T>;
  resultField: ResultField<T>;
  idField: IdField<T>;
}

/** A row of the kind's table under the shared column names. */
export function toCredentialRecord<T extends CredentialType>(
  kind: CredentialKind<T>,
  row: Row,
): CredentialRecord {
  const record = { ...row } as Row;
  for (const [name, column] of Object.entries(kind.columns)) record[name] = row[column];
  return record as unknown as CredentialRecord;
}

/** The kind's column values of a credential's secret, written under the shared names. */
export function toSecretColumns<T extends CredentialType>(
  kind: CredentialKind<T>,
  values: Partial<Record<keyof SecretColumns, unknown>>,
): Row {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [kind.columns[name as keyof SecretColumns], value]),
  );
}
