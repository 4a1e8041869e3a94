import type { Database } from "@dsc/db";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import { openWebhookSecret, sealWebhookSecret } from "./webhook-secret.ts";

/**
 * Seals again, under the newest master key, every webhook signing secret (and a rotation's
 * previous secret) sealed under an older one, so that an old ENCRYPTION_KEY version can be
 * retired. Idempotent; a row changed meanwhile (rotated, re-sealed by another worker) is left.
 */
export async function rewrapWebhookSecrets(
  deps: { db: Database; keyring: MasterKeyring },
  options: { batchSize?: number } = {},
): Promise<{ rewrapped: number }> {
  const batchSize = options.batchSize ?? 500;
  const version = deps.keyring.current.version;
  let rewrapped = 0;
  // bounded: each pass re-seals or skips every row it read, so at most (rows / batch) + 1 passes
  for (let pass = 0; pass < 10_000; pass++) {
    const stale = await deps.db.webhookEndpoint.findMany({
      where: {
        OR: [
          { secretKeyVersion: { not: version } },
          { previousSecretKeyVersion: { not: version }, previousSecretCiphertext: { not: null } },
        ],
      },
      orderBy: { id: "asc" },
      take: batchSize,
    });
    if (stale.length === 0) break;
    for (const row of stale) {
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
      rewrapped += count;
    }
    if (stale.length < batchSize) break;
  }
  return { rewrapped };
}
