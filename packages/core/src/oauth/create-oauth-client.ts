import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import { displayPrefix, hashApiKeySecret } from "../keys/api-key-secret.ts";
import { type KeyDeps, normaliseScopes } from "../keys/create-api-key.ts";
import { generateClientSecret } from "./oauth-client-secret.ts";
import { type OAuthClientView, toOAuthClientView } from "./oauth-client-view.ts";

export interface CreateOAuthClientInput {
  organizationId: string;
  name?: string;
  /** the most its access tokens may carry; default models:read, chat, files */
  scopes?: readonly string[];
  /** lifetime in milliseconds; absent = never expires */
  expiresInMs?: number;
  actor: Actor;
}

export interface CreatedOAuthClient {
  client: OAuthClientView;
  /** the whole client secret: returned here once and never again */
  secret: string;
}

/** A client-credentials application of an organization; its secret is stored like an API key. */
export async function createOAuthClient(
  deps: KeyDeps,
  input: CreateOAuthClientInput,
): Promise<CreatedOAuthClient> {
  const scopes = normaliseScopes(input.scopes);
  const name = input.name?.trim() || "OAuth client";
  if (name.length > 100) throw new DomainError("invalid", "name must be at most 100 characters", "name");
  if (input.expiresInMs !== undefined && (!Number.isInteger(input.expiresInMs) || input.expiresInMs <= 0)) {
    throw new DomainError("invalid", "the lifetime must be longer than zero", "expires_in");
  }
  const now = deps.clock.now();
  const organization = await deps.db.organization.findUnique({
    where: { id: input.organizationId },
    select: { id: true },
  });
  if (!organization) {
    throw new DomainError("not_found", `organization ${input.organizationId} does not exist`, "organization");
  }

  const secret = generateClientSecret();
  const record = await deps.db.$transaction(async (tx) => {
    const created = await tx.oAuthClient.create({
      data: {
        id: newId("oauthClient"),
        organizationId: organization.id,
        name,
        secretHash: hashApiKeySecret(secret, deps.pepper),
        secretPrefix: displayPrefix(secret),
        scopes,
        createdAt: now,
        expiresAt: input.expiresInMs ? new Date(now.getTime() + input.expiresInMs) : null,
        createdById: input.actor.id,
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "oauth_client.create",
      target: { type: "oauth_client", id: created.id },
      organizationId: organization.id,
      metadata: { name, scopes, expiresAt: created.expiresAt?.toISOString() ?? null },
    });
    return created;
  });
  return { client: toOAuthClientView(record, now), secret };
}
