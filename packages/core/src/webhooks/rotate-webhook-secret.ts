import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { WebhookEndpointDeps } from "./webhook-deps.ts";
import {
  findVisibleWebhookEndpoint,
  viewOfWebhookEndpoint,
  type WebhookEndpointView,
  type WebhookViewer,
} from "./webhook-endpoint-view.ts";
import { newWebhookSecret, sealWebhookSecret } from "./webhook-secret.ts";

/** How long deliveries are signed with the old secret too, unless the caller says otherwise. */
export const WEBHOOK_SECRET_GRACE_MS = 24 * 3_600_000;

/**
 * Gives an endpoint a new signing secret, returned once. Until the grace period ends each
 * delivery carries a signature with each secret (Standard Webhooks allow several, separated by
 * spaces), so the receiver can switch without rejecting anything; 0 drops the old one at once.
 */
export async function rotateWebhookSecret(
  deps: Pick<WebhookEndpointDeps, "db" | "clock" | "keyring">,
  input: { endpointId: string; viewer: WebhookViewer; gracePeriodMs?: number | undefined; actor: Actor },
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const graceMs = input.gracePeriodMs ?? WEBHOOK_SECRET_GRACE_MS;
  if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > 7 * 24 * 3_600_000) {
    throw new DomainError("invalid", "The grace period is between 0 and 7 days.", "gracePeriodMs");
  }
  const current = await findVisibleWebhookEndpoint(deps.db, input.viewer, input.endpointId);
  const now = deps.clock.now();
  const secret = newWebhookSecret();
  const sealed = sealWebhookSecret(deps.keyring, current.id, secret);
  const graceEnd = graceMs === 0 ? null : new Date(now.getTime() + graceMs);
  const row = await deps.db.$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id: current.id },
      data: {
        secretCiphertext: sealed.ciphertext,
        secretKeyVersion: sealed.keyVersion,
        previousSecretCiphertext: graceEnd ? current.secretCiphertext : null,
        previousSecretKeyVersion: graceEnd ? current.secretKeyVersion : null,
        previousSecretExpiresAt: graceEnd,
        updatedAt: now,
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "webhook_endpoint.rotate_secret",
      target: { type: "webhook_endpoint", id: current.id },
      organizationId: current.organizationId,
      metadata: { previousSecretExpiresAt: graceEnd?.toISOString() ?? null },
    });
    return updated;
  });
  return { endpoint: viewOfWebhookEndpoint(row), secret };
}
