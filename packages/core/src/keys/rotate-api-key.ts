import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { displayPrefix, generateApiKeySecret, hashApiKeySecret } from "./api-key-secret.ts";
import { type ApiKeyView, apiKeyState, toApiKeyView } from "./api-key-view.ts";
import type { KeyDeps } from "./create-api-key.ts";
import type { RevocationBus } from "./revocation/revocation-bus.ts";
import { rotationGraceEnd } from "./rotation-grace.ts";

export interface RotateApiKeyInput {
  apiKeyId: string;
  /** when given, a key of another organization is reported as not found */
  organizationId?: string;
  /** how long the old secret keeps working (default 24 h; 0 = stops at once) */
  gracePeriodMs?: number;
  actor: Actor;
}

export interface RotatedApiKey {
  key: ApiKeyView;
  /** the new secret: returned here once and never again */
  secret: string;
  /** when the old secret stops working; null when it already has */
  previousSecretExpiresAt: Date | null;
}

/**
 * Gives a key a new secret. The old one keeps working until the grace period ends, so
 * deployments can switch without downtime; a secret rotated out earlier stops at once.
 * The key keeps its id, scopes, limits and expiry.
 */
export async function rotateApiKey(
  deps: KeyDeps & { revocations?: Pick<RevocationBus, "publish"> | null },
  input: RotateApiKeyInput,
): Promise<RotatedApiKey> {
  const now = deps.clock.now();
  const graceEnd = rotationGraceEnd(now, input.gracePeriodMs);
  const secret = generateApiKeySecret();
  const rotated = await deps.db.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({
      where: {
        id: input.apiKeyId,
        ...(input.organizationId ? { organizationId: input.organizationId } : {}),
      },
    });
    if (!key) throw new DomainError("not_found", `API key ${input.apiKeyId} does not exist`, "id");
    const state = apiKeyState(key, now);
    if (state !== "active") {
      throw new DomainError("conflict", `API key ${key.id} is ${state} and cannot be rotated`, "id");
    }
    const updated = await tx.apiKey.update({
      where: { id: key.id },
      data: {
        hash: hashApiKeySecret(secret, deps.pepper),
        prefix: displayPrefix(secret),
        previousHash: graceEnd ? key.hash : null,
        previousHashExpiresAt: graceEnd,
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "api_key.rotate",
      target: { type: "api_key", id: key.id },
      organizationId: key.organizationId,
      metadata: {
        previousPrefix: key.prefix,
        prefix: updated.prefix,
        previousSecretExpiresAt: graceEnd?.toISOString() ?? null,
      },
    });
    return updated;
  });
  try {
    // instances drop what they cached for the key, so the old secret's grace end applies at once
    await deps.revocations?.publish(rotated.id);
  } catch {
    // caches still expire within seconds
  }
  return { key: toApiKeyView(rotated, now), secret, previousSecretExpiresAt: graceEnd };
}
