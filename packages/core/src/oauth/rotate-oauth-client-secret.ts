import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { displayPrefix, hashApiKeySecret } from "../keys/api-key-secret.ts";
import type { KeyDeps } from "../keys/create-api-key.ts";
import { rotationGraceEnd } from "../keys/rotation-grace.ts";
import { generateClientSecret } from "./oauth-client-secret.ts";
import { type OAuthClientView, oauthClientState, toOAuthClientView } from "./oauth-client-view.ts";

export interface RotateOAuthClientSecretInput {
  clientId: string;
  /** when given, a client of another organization is reported as not found */
  organizationId?: string;
  /** how long the old secret keeps working (default 24 h; 0 = stops at once) */
  gracePeriodMs?: number;
  actor: Actor;
}

export interface RotatedOAuthClientSecret {
  client: OAuthClientView;
  /** the new client secret: returned here once and never again */
  secret: string;
  /** when the old secret stops working; null when it already has */
  previousSecretExpiresAt: Date | null;
}

/**
 * Gives a client a new secret; the old one may still obtain tokens until the grace period
 * ends. Secrets are checked only at the token endpoint, never cached, so nothing needs to be
 * told. Tokens already issued stay valid until they expire (revoke the client to end them).
 */
export async function rotateOAuthClientSecret(
  deps: KeyDeps,
  input: RotateOAuthClientSecretInput,
): Promise<RotatedOAuthClientSecret> {
  const now = deps.clock.now();
  const graceEnd = rotationGraceEnd(now, input.gracePeriodMs);
  const secret = generateClientSecret();
  const rotated = await deps.db.$transaction(async (tx) => {
    const client = await tx.oAuthClient.findFirst({
      where: {
        id: input.clientId,
        ...(input.organizationId ? { organizationId: input.organizationId } : {}),
      },
    });
    if (!client) throw new DomainError("not_found", `OAuth client ${input.clientId} does not exist`, "id");
    const state = oauthClientState(client, now);
    if (state !== "active") {
      throw new DomainError("conflict", `OAuth client ${client.id} is ${state} and cannot be rotated`, "id");
    }
    const updated = await tx.oAuthClient.update({
      where: { id: client.id },
      data: {
        secretHash: hashApiKeySecret(secret, deps.pepper),
        secretPrefix: displayPrefix(secret),
        previousSecretHash: graceEnd ? client.secretHash : null,
        previousSecretExpiresAt: graceEnd,
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "oauth_client.rotate_secret",
      target: { type: "oauth_client", id: client.id },
      organizationId: client.organizationId,
      metadata: {
        previousPrefix: client.secretPrefix,
        prefix: updated.secretPrefix,
        previousSecretExpiresAt: graceEnd?.toISOString() ?? null,
      },
    });
    return updated;
  });
  return { client: toOAuthClientView(rotated, now), secret, previousSecretExpiresAt: graceEnd };
}
