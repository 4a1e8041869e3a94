import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import {
  type CredentialKind,
  type CredentialType,
  type ResultField,
  toCredentialRecord,
  toSecretColumns,
} from "./credential-kind.ts";
import { acknowledgedPowerfulScopes, normaliseScopes } from "./credential-scopes.ts";
import { displayPrefix, generateSecret, hashApiKeySecret } from "./credential-secret.ts";
import { type CredentialView, toCredentialView } from "./credential-view.ts";

export interface CredentialDeps {
  db: Database;
  clock: Clock;
  /** the server-wide HMAC key of stored secret hashes */
  pepper: string;
}

export interface CreateCredentialInput {
  organizationId: string;
  name?: string;
  /** the most it may do (for a client: the most its access tokens may carry); default models:read, chat, files */
  scopes?: readonly string[];
  /**
   * The caller's explicit acknowledgement that the scopes include powerful ones (`users:delete`,
   * `users:export`); without it such a grant is refused.
   */
  allowPowerfulScopes?: boolean;
  /** lifetime in milliseconds; absent = never expires */
  expiresInMs?: number;
  actor: Actor;
}

/** The new credential, under its kind's name (`key`, `client`), and its whole secret: returned here once and never again. */
export type CreatedCredential<T extends CredentialType> = Record<ResultField<T>, CredentialView<T>> & {
  secret: string;
};

/** A new API key or OAuth client of an organization; only the keyed hash of its secret is stored. */
export async function createCredential<T extends CredentialType>(
  kind: CredentialKind<T>,
  deps: CredentialDeps,
  input: CreateCredentialInput,
): Promise<CreatedCredential<T>> {
  const scopes = normaliseScopes(input.scopes);
  const powerfulScopes = acknowledgedPowerfulScopes(scopes, input.allowPowerfulScopes);
  const name = input.name?.trim() || kind.defaultName;
  if (name.length > 100) throw new DomainError("invalid", "The name must be at most 100 characters.", "name");
  if (input.expiresInMs !== undefined && (!Number.isInteger(input.expiresInMs) || input.expiresInMs <= 0)) {
    throw new DomainError("invalid", "The lifetime must be longer than zero.", "expires_in");
  }
  const now = deps.clock.now();
  const organization = await deps.db.organization.findUnique({
    where: { id: input.organizationId },
    select: { id: true },
  });
  if (!organization) {
    throw new DomainError("not_found", `organization ${input.organizationId} does not exist`, "organization");
  }

  const secret = generateSecret(kind.secretPrefix);
  const record = await deps.db.$transaction(async (tx) => {
    const created = toCredentialRecord(
      kind,
      await kind.table(tx).create({
        data: {
          id: newId(kind.idKind),
          organizationId: organization.id,
          name,
          ...toSecretColumns(kind, {
            secretHash: hashApiKeySecret(secret, deps.pepper),
            secretPrefix: displayPrefix(secret),
          }),
          scopes,
          createdAt: now,
          expiresAt: input.expiresInMs ? new Date(now.getTime() + input.expiresInMs) : null,
          createdById: input.actor.id,
        },
      }),
    );
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: kind.actions.create,
      target: { type: kind.type, id: created.id },
      organizationId: organization.id,
      // the powerful scopes by name, so that the trail answers who let a credential erase or export
      metadata: { name, scopes, powerfulScopes, expiresAt: created.expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  return { [kind.resultField]: toCredentialView(kind, record, now), secret } as CreatedCredential<T>;
}
