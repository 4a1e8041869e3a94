import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { type ApiKeyView, toApiKeyView } from "./api-key-view.ts";
import type { RevocationBus } from "./revocation/revocation-bus.ts";

export interface RevokeApiKeyInput {
  apiKeyId: string;
  /** when given, a key of another organization is reported as not found */
  organizationId?: string;
  actor: Actor;
}

/**
 * Revokes a key at once: the database refuses it from now on, and the revocation message
 * makes every gateway drop it from its cache. Revoking a revoked key changes nothing.
 */
export async function revokeApiKey(
  deps: { db: Database; clock: Clock; revocations?: Pick<RevocationBus, "publish"> | null },
  input: RevokeApiKeyInput,
): Promise<ApiKeyView> {
  const now = deps.clock.now();
  const view = await deps.db.$transaction(async (tx) => {
    const key = await tx.apiKey.findFirst({
      where: {
        id: input.apiKeyId,
        ...(input.organizationId ? { organizationId: input.organizationId } : {}),
      },
    });
    if (!key) throw new DomainError("not_found", `API key ${input.apiKeyId} does not exist`, "id");
    if (key.revokedAt) return toApiKeyView(key, now);
    const revoked = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: now } });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "api_key.revoke",
      target: { type: "api_key", id: key.id },
      organizationId: key.organizationId,
    });
    return toApiKeyView(revoked, now);
  });
  try {
    await deps.revocations?.publish(view.id);
  } catch {
    // The revocation is committed; caches still drop the key when their entry expires (seconds).
  }
  return view;
}
