import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { CredentialDeps } from "./create-credential.ts";
import {
  type CredentialKind,
  type CredentialType,
  type IdField,
  type ResultField,
  toCredentialRecord,
  toSecretColumns,
} from "./credential-kind.ts";
import { displayPrefix, generateSecret, hashApiKeySecret } from "./credential-secret.ts";
import { type CredentialView, credentialState, toCredentialView } from "./credential-view.ts";
import { findCredential } from "./find-credential.ts";
import type { RevocationBus } from "./revocation/revocation-bus.ts";
import { rotationGraceEnd } from "./rotation-grace.ts";

/** The credential by its kind's id field (`apiKeyId`, `clientId`). */
export type RotateCredentialInput<T extends CredentialType> = Record<IdField<T>, string> & {
  /** when given, a credential of another organization is reported as not found */
  organizationId?: string;
  /** how long the old secret keeps working (default 24 h; 0 = stops at once) */
  gracePeriodMs?: number;
  actor: Actor;
};

export type RotatedCredential<T extends CredentialType> = Record<ResultField<T>, CredentialView<T>> & {
  /** the new secret: returned here once and never again */
  secret: string;
  /** when the old secret stops working; null when it already has */
  previousSecretExpiresAt: Date | null;
};

/**
 * Gives a key or client a new secret. The old one keeps working until the grace period ends,
 * so deployments can switch without downtime; a secret rotated out earlier stops at once.
 * The credential keeps its id, scopes, limits and expiry. Tokens a client already holds stay
 * valid until they expire (revoke the client to end them).
 */
export async function rotateCredential<T extends CredentialType>(
  kind: CredentialKind<T>,
  deps: CredentialDeps & { revocations?: Pick<RevocationBus, "publish"> | null },
  input: RotateCredentialInput<T>,
): Promise<RotatedCredential<T>> {
  const now = deps.clock.now();
  const graceEnd = rotationGraceEnd(now, input.gracePeriodMs);
  const secret = generateSecret(kind.secretPrefix);
  const rotated = await deps.db.$transaction(async (tx) => {
    const current = await findCredential(kind, tx, input[kind.idField], input.organizationId);
    const state = credentialState(current, now);
    if (state !== "active") {
      throw new DomainError("conflict", `${kind.noun} ${current.id} is ${state} and cannot be rotated`, "id");
    }
    const updated = toCredentialRecord(
      kind,
      await kind.table(tx).update({
        where: { id: current.id },
        data: toSecretColumns(kind, {
          secretHash: hashApiKeySecret(secret, deps.pepper),
          secretPrefix: displayPrefix(secret),
          previousSecretHash: graceEnd ? current.secretHash : null,
          previousSecretExpiresAt: graceEnd,
        }),
      }),
    );
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: kind.actions.rotate,
      target: { type: kind.type, id: current.id },
      organizationId: current.organizationId,
      metadata: {
        previousPrefix: current.secretPrefix,
        prefix: updated.secretPrefix,
        previousSecretExpiresAt: graceEnd?.toISOString() ?? null,
      },
    });
    return updated;
  });
  if (kind.publishesRotation) {
    try {
      // instances drop what they cached for the key, so the old secret's grace end applies at once
      await deps.revocations?.publish(rotated.id);
    } catch {
      // caches still expire within seconds
    }
  }
  return {
    [kind.resultField]: toCredentialView(kind, rotated, now),
    secret,
    previousSecretExpiresAt: graceEnd,
  } as RotatedCredential<T>;
}
