import { rewrapDataKeys, rewrapWebhookSecrets } from "@dsc/core";
import { z } from "zod";
import type { JobDefinition } from "./job-definition.ts";

/**
 * After a new master key version is configured, moves every data key under it, and every
 * webhook signing secret.
 */
export const rewrapDataKeysJob: JobDefinition<{ batchSize?: number | undefined }> = {
  id: "crypto.rewrap-data-keys",
  schedule: "17 * * * *",
  description: "re-wrap data keys under the newest master key (logs are not rewritten)",
  payload: z.object({ batchSize: z.number().int().min(1).max(10_000).optional() }),
  async run(payload, deps) {
    if (!deps.keyring) throw new Error("master keys are not configured for this worker");
    const dataKeys = await rewrapDataKeys(
      { db: deps.db, keyring: deps.keyring },
      { batchSize: payload.batchSize },
    );
    const webhookSecrets = await rewrapWebhookSecrets(
      {
        db: deps.db,
        clock: deps.clock,
        keyring: deps.keyring,
        // the endpoint and core's reason (a master key version, or the database), never a secret
        onFailure: (endpointId, reason) =>
          deps.logger.error(
            { endpointId, reason },
            "a webhook signing secret could not be sealed again under the newest master key",
          ),
      },
      { batchSize: payload.batchSize },
    );
    return {
      ...dataKeys,
      webhookSecretsRewrapped: webhookSecrets.rewrapped,
      webhookSecretsFailed: webhookSecrets.failed,
      webhookPreviousSecretsCleared: webhookSecrets.previousSecretsCleared,
    };
  },
};
