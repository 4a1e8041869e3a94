import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";
import {
  type CredentialKind,
  type CredentialType,
  type IdField,
  toCredentialRecord,
} from "./credential-kind.ts";
import { type CredentialView, toCredentialView } from "./credential-view.ts";
import { findCredential } from "./find-credential.ts";
import type { RevocationBus } from "./revocation/revocation-bus.ts";

/** The credential by its kind's id field (`apiKeyId`, `clientId`). */
export type RevokeCredentialInput<T extends CredentialType> = Record<IdField<T>, string> & {
  /** when given, a credential of another organization is reported as not found */
  organizationId?: string;
  actor: Actor;
};

/**
 * Revokes a key or client at once: the database refuses its secret from now on, and the
 * revocation message makes every gateway drop it from its caches (for a client: refuse the
 * access tokens it already holds). Revoking twice changes nothing.
 */
export async function revokeCredential<T extends CredentialType>(
  kind: CredentialKind<T>,
  deps: { db: Database; clock: Clock; revocations?: Pick<RevocationBus, "publish"> | null },
  input: RevokeCredentialInput<T>,
): Promise<CredentialView<T>> {
  const now = deps.clock.now();
  const view = await deps.db.$transaction(async (tx) => {
    const current = await findCredential(kind, tx, input[kind.idField], input.organizationId);
    if (current.revokedAt) return toCredentialView(kind, current, now);
    const revoked = await kind.table(tx).update({ where: { id: current.id }, data: { revokedAt: now } });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: kind.actions.revoke,
      target: { type: kind.type, id: current.id },
      organizationId: current.organizationId,
    });
    return toCredentialView(kind, toCredentialRecord(kind, revoked), now);
  });
  try {
    await deps.revocations?.publish(view.id);
  } catch {
    // The revocation is committed; caches still drop the credential when their entry expires (seconds).
  }
  return view;
}
