import type { Database } from "@dsc/db";
import { DEFAULT_API_KEY_SCOPES, isScope, type Scope } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import { displayPrefix, generateApiKeySecret, hashApiKeySecret } from "./api-key-secret.ts";
import { type ApiKeyView, toApiKeyView } from "./api-key-view.ts";

export interface KeyDeps {
  db: Database;
  clock: Clock;
  /** the server-wide HMAC key of stored key hashes */
  pepper: string;
}

export interface CreateApiKeyInput {
  organizationId: string;
  name?: string;
  scopes?: readonly string[];
  /** lifetime in milliseconds; absent = never expires */
  expiresInMs?: number;
  actor: Actor;
}

export interface CreatedApiKey {
  key: ApiKeyView;
  /** the whole secret: returned here once and never again */
  secret: string;
}

export async function createApiKey(deps: KeyDeps, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  const scopes = normaliseScopes(input.scopes);
  const name = input.name?.trim() || "Secret key";
  if (name.length > 100) throw new DomainError("invalid", "name must be at most 100 characters", "name");
  const now = deps.clock.now();
  const organization = await deps.db.organization.findUnique({
    where: { id: input.organizationId },
    select: { id: true },
  });
  if (!organization) {
    throw new DomainError("not_found", `organization ${input.organizationId} does not exist`, "organization");
  }

  const secret = generateApiKeySecret();
  const record = await deps.db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        id: newId("apiKey"),
        organizationId: organization.id,
        name,
        hash: hashApiKeySecret(secret, deps.pepper),
        prefix: displayPrefix(secret),
        scopes,
        createdAt: now,
        expiresAt: input.expiresInMs ? new Date(now.getTime() + input.expiresInMs) : null,
        createdById: input.actor.id,
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "api_key.create",
      target: { type: "api_key", id: created.id },
      organizationId: organization.id,
      metadata: { name, scopes, expiresAt: created.expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  return { key: toApiKeyView(record, now), secret };
}

/** The scopes a new credential asks for, checked; the defaults when none are asked for. */
export function normaliseScopes(requested: readonly string[] | undefined): Scope[] {
  if (!requested || requested.length === 0) return [...DEFAULT_API_KEY_SCOPES];
  const unknown = requested.filter((scope) => !isScope(scope));
  if (unknown.length > 0) {
    throw new DomainError("invalid", `unknown scope(s): ${unknown.join(", ")}`, "scopes");
  }
  return [...new Set(requested as Scope[])];
}
