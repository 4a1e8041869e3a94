import type { Database, WebhookEndpoint } from "@dsc/db";
import { MasterKeyError } from "../crypto/master-key-error.ts";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import type { Clock } from "../time/clock.ts";
import { openWebhookSecret, sealWebhookSecret } from "./webhook-secret.ts";

/**
 * One endpoint whose secret could not be sealed again: its id and why, in our words (a master
 * key's version and reason, or that the database refused), never a secret or a sealed one.
 */
export type WebhookSecretRewrapFailure = (endpointId: string, reason: string) => void;

/**
 * Seals again, under the newest master key, every webhook signing secret (and a rotation's
 * previous secret) sealed under an older one, so that an old ENCRYPTION_KEY version can be
 * retired. Previous secrets whose grace period is over are dropped first: they sign nothing
 * more, and would otherwise keep an old master key version in use. Idempotent; a row changed
 * meanwhile (rotated, re-sealed by another worker) is left. A row that cannot be opened (its
 * master key missing or wrong) is reported through `onFailure` and skipped: the others go on.
 */
export async function rewrapWebhookSecrets(
  deps: { db: Database; clock: Clock; keyring: MasterKeyring; onFailure?: WebhookSecretRewrapFailure },
  options: { batchSize?: number | undefined } = {},
): Promise<{ rewrapped: number; failed: number; previousSecretsCleared: number }> {
  const batchSize = options.batchSize ?? 500;
  const version = deps.keyring.current.version;
  const cleared = await deps.db.webhookEndpoint.updateMany({
    where: { previousSecretExpiresAt: { lte: deps.clock.now() } },
    data: { previousSecretCiphertext: null, previousSecretKeyVersion: null, previousSecretExpiresAt: null },
  });
  let rewrapped = 0;
  let failed = 0;
  let after = "";
  // bounded: the cursor moves past every row read, so at most (rows / batch) + 1 passes
  for (let pass = 0; pass < 100_000; pass++) {
    const stale = await deps.db.webhookEndpoint.findMany({
      where: {
        id: { gt: after },
        OR: [
          { secretKeyVersion: { not: version } },
          { previousSecretKeyVersion: { not: version }, previousSecretCiphertext: { not: null } },
        ],
      },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    for (const row of stale) {
      try {
        rewrapped += await rewrapRow(deps, row);
      } catch (error) {
        failed += 1;
        deps.onFailure?.(
          row.id,
          error instanceof MasterKeyError ? error.message : "the database refused the sealed secret",
        );
      }
    }
    if (stale.length < batchSize) break;
    after = (stale[stale.length - 1] as WebhookEndpoint).id;
  }
  return { rewrapped, failed, previousSecretsCleared: cleared.count };
}

async function rewrapRow(deps: { db: Database; keyring: MasterKeyring }, row: WebhookEndpoint) {
  const current = sealWebhookSecret(
    deps.keyring,
    row.id,
    openWebhookSecret(deps.keyring, row.id, {
      ciphertext: row.secretCiphertext,
      keyVersion: row.secretKeyVersion,
    }),
  );
  const previous =
    row.previousSecretCiphertext && row.previousSecretKeyVersion !== null
      ? sealWebhookSecret(
          deps.keyring,
          row.id,
          openWebhookSecret(deps.keyring, row.id, {
            ciphertext: row.previousSecretCiphertext,
            keyVersion: row.previousSecretKeyVersion,
          }),
        )
      : null;
  const { count } = await deps.db.webhookEndpoint.updateMany({
    where: { id: row.id, secretCiphertext: row.secretCiphertext },
    data: {
      secretCiphertext: current.ciphertext,
      secretKeyVersion: current.keyVersion,
      ...(previous
        ? { previousSecretCiphertext: previous.ciphertext, previousSecretKeyVersion: previous.keyVersion }
        : {}),
    },
  });
  return count;
}
