import {
  deliverWebhook,
  dispatchWebhookDeliveries,
  failDeadLetteredWebhookDelivery,
  notifyExpiringCredentials,
  notifyQuotaThresholds,
  pruneWebhookRecords,
  WEBHOOK_RETRY_POLICY,
} from "@dsc/core";
import { z } from "zod";
import type { JobDefinition, JobDeps } from "./job-definition.ts";

export const WEBHOOK_DELIVER_QUEUE = "webhook.deliver";
/** where pg-boss moves a delivery's job once it is out of retries */
export const WEBHOOK_DEAD_LETTER_QUEUE = "webhook.deliver.dead";

/**
 * Hands the outbox's new deliveries to the `webhook.deliver` queue, each job inserted in the
 * transaction that marks its row queued. Jobs that create events call it at once, so their
 * deliveries do not wait for the next minute.
 */
export async function dispatchWebhooks(deps: JobDeps): Promise<{ queued: number }> {
  const queue = deps.queue;
  if (!queue) return { queued: 0 };
  return dispatchWebhookDeliveries(deps, async (deliveryId, transaction, endpointId) => {
    await queue.send(WEBHOOK_DELIVER_QUEUE, { deliveryId }, { db: transaction, group: { id: endpointId } });
  });
}

export const dispatchWebhooksJob: JobDefinition<Record<string, never>> = {
  id: "webhook.dispatch",
  schedule: "* * * * *",
  description:
    "queue the webhook deliveries written since the last run (the dashboard's, the CLI's, the gateway's)",
  payload: z.object({}).strict(),
  run: (_payload, deps) => dispatchWebhooks(deps),
};

/** the dead letter queue is made first: pg-boss refuses a queue that names a missing one */
export const webhookDeadLetterJob: JobDefinition<{ deliveryId: string }> = {
  id: WEBHOOK_DEAD_LETTER_QUEUE,
  description: "mark a webhook delivery failed once pg-boss has no retries left for it",
  payload: z.object({ deliveryId: z.string().min(1).max(100) }),
  run: (payload, deps) => failDeadLetteredWebhookDelivery(deps, payload),
};

/**
 * Deliveries wait mostly on receivers (up to 10 s each), so a worker runs many at once; each
 * job's group is its endpoint, and one endpoint holds at most 2 of a worker's slots, so a
 * slow or failing receiver cannot stall everyone else's deliveries.
 */
export const WEBHOOK_DELIVERY_WORK = {
  localConcurrency: 16,
  // pg-boss's groupConcurrency counts a group's active jobs in the database, which the slots
  // fetching at the same moment do not see of each other (all 16 took one endpoint's jobs in a
  // test); the count it keeps in memory is exact, per worker process: with W workers one
  // endpoint holds at most 2·W of their 16·W slots
  localGroupConcurrency: 2,
  pollingIntervalSeconds: 1,
} as const;

export const deliverWebhookJob: JobDefinition<{ deliveryId: string }> = {
  id: WEBHOOK_DELIVER_QUEUE,
  description:
    "send one signed webhook delivery; a failure is retried with exponential backoff, about a day in all",
  payload: z.object({ deliveryId: z.string().min(1).max(100) }),
  queue: { ...WEBHOOK_RETRY_POLICY, deadLetter: WEBHOOK_DEAD_LETTER_QUEUE },
  work: WEBHOOK_DELIVERY_WORK,
  async run(payload, deps, attempt) {
    if (!deps.keyring)
      throw new Error("webhook deliveries need the master keys, to open the signing secrets");
    const retryCount = attempt?.retryCount ?? 0;
    const outcome = await deliverWebhook(
      {
        db: deps.db,
        clock: deps.clock,
        keyring: deps.keyring,
        addressPolicy: deps.webhooks?.addressPolicy ?? { allowPrivate: false },
        ...(deps.webhooks?.timeoutMs ? { timeoutMs: deps.webhooks.timeoutMs } : {}),
      },
      { deliveryId: payload.deliveryId, isLastAttempt: retryCount >= WEBHOOK_RETRY_POLICY.retryLimit },
    );
    // pg-boss retries a job whose handler throws, after its backoff
    if (outcome === "retry")
      throw new Error(`webhook delivery ${payload.deliveryId} failed; it will be retried`);
    return { outcome, retryCount };
  },
};

export const checkQuotaThresholdsJob: JobDefinition<Record<string, never>> = {
  id: "webhook.check-quota-thresholds",
  schedule: "* * * * *",
  description: "announce organizations at 80 % and 100 % of their monthly token quota (once a month each)",
  payload: z.object({}).strict(),
  async run(_payload, deps) {
    const { events } = await notifyQuotaThresholds(deps);
    const { queued } = events > 0 ? await dispatchWebhooks(deps) : { queued: 0 };
    return { events, queued };
  },
};

export const checkExpiringCredentialsJob: JobDefinition<Record<string, never>> = {
  id: "webhook.check-expiring-credentials",
  // hourly, so a credential created with less than 7 days to live is announced the same hour;
  // the once-keys keep it to one event per credential and expiry
  schedule: "0 * * * *",
  description: "announce API keys and OAuth clients that expire within 7 days (once per credential)",
  payload: z.object({}).strict(),
  async run(_payload, deps) {
    const { events } = await notifyExpiringCredentials(deps);
    const { queued } = events > 0 ? await dispatchWebhooks(deps) : { queued: 0 };
    return { events, queued };
  },
};

export const pruneWebhookRecordsJob: JobDefinition<{ batchSize?: number | undefined }> = {
  id: "webhook.prune",
  schedule: "41 * * * *",
  description:
    "delete webhook deliveries finished over 30 days ago (with their attempts) and once-keys whose event cannot recur, in bounded batches",
  payload: z.object({ batchSize: z.number().int().min(1).max(50_000).optional() }),
  run: (payload, deps) => pruneWebhookRecords(deps, { batchSize: payload.batchSize }),
};
