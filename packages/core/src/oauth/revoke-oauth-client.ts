import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { RevocationBus } from "../keys/revocation/revocation-bus.ts";
import type { Clock } from "../time/clock.ts";
import { type OAuthClientView, toOAuthClientView } from "./oauth-client-view.ts";

export interface RevokeOAuthClientInput {
  clientId: string;
  /** when given, a client of another organization is reported as not found */
  organizationId?: string;
  actor: Actor;
}

/**
 * Revokes a client at once: its secret is refused from now on, and the revocation message
 * makes every gateway refuse the access tokens it already holds. Revoking twice changes nothing.
 */
export async function revokeOAuthClient(
  deps: { db: Database; clock: Clock; revocations?: Pick<RevocationBus, "publish"> | null },
  input: RevokeOAuthClientInput,
): Promise<OAuthClientView> {
  const now = deps.clock.now();
  const view = await deps.db.$transaction(async (tx) => {
    const client = await tx.oAuthClient.findFirst({
      where: {
        id: input.clientId,
        ...(input.organizationId ? { organizationId: input.organizationId } : {}),
      },
    });
    if (!client) throw new DomainError("not_found", `OAuth client ${input.clientId} does not exist`, "id");
    if (client.revokedAt) return toOAuthClientView(client, now);
    const revoked = await tx.oAuthClient.update({ where: { id: client.id }, data: { revokedAt: now } });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "oauth_client.revoke",
      target: { type: "oauth_client", id: client.id },
      organizationId: client.organizationId,
    });
    return toOAuthClientView(revoked, now);
  });
  try {
    await deps.revocations?.publish(view.id);
  } catch {
    // The revocation is committed; gateways still refuse the client when their cached state expires.
  }
  return view;
}
