import type { Database } from "@dsc/db";
import { Webhook } from "standardwebhooks";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import type { Clock } from "../time/clock.ts";
import { countDeliveryEnd } from "./count-endpoint-failures.ts";
import { postWebhook } from "./post-webhook.ts";
import type { HostLookup, WebhookAddressPolicy } from "./webhook-address-policy.ts";
import { earliestRetryAt, WEBHOOK_RETRY_POLICY, WEBHOOK_TIMEOUT_MS } from "./webhook-retry-policy.ts";
import { openWebhookSecret } from "./webhook-secret.ts";

export interface WebhookDeliveryDeps {
  db: Database;
  clock: Clock;
  keyring: MasterKeyring;
  addressPolicy: WebhookAddressPolicy;
  lookup?: HostLookup;
  timeoutMs?: number;
}

/**
 * How an attempt ended. `retry`: it failed and the queue should try again later (the job
 * handler throws, and pg-boss backs off); the other outcomes end the job.
 */
export type WebhookDeliveryOutcome =
  | "succeeded"
  | "retry"
  | "failed"
  | "endpoint_disabled"
  | "not_pending"
  | "gone";

/**
 * One attempt at one delivery: signs the stored body (Standard Webhooks: `webhook-id` is the
 * event's id, the same for every attempt; `webhook-signature` is `v1,` and the base64
 * HMAC-SHA-256 of `id.timestamp.body`, once per secret while a rotated-out secret is still in
 * its grace period), POSTs it, and records the attempt. The endpoint is read now, so a disabled
 * or deleted endpoint is never sent anything, whatever was queued.
 */
export async function deliverWebhook(
  deps: WebhookDeliveryDeps,
  input: { deliveryId: string; isLastAttempt: boolean },
): Promise<WebhookDeliveryOutcome> {
  const delivery = await deps.db.webhookDelivery.findUnique({
    where: { id: input.deliveryId },
    include: { endpoint: true },
  });
  if (!delivery) return "gone";
  if (delivery.status !== "PENDING") return "not_pending";
  const { endpoint } = delivery;
  if (!endpoint.enabled) {
    await deps.db.webhookDelivery.updateMany({
      where: { id: delivery.id, status: "PENDING" },
      data: {
        status: "FAILED",
        lastError: "endpoint disabled",
        completedAt: deps.clock.now(),
        nextAttemptAt: null,
      },
    });
    return "endpoint_disabled";
  }
  const startedAt = deps.clock.now();
  const body = JSON.stringify(delivery.payload);
  const signatures = signingSecrets(deps.keyring, endpoint, startedAt).map((secret) =>
    new Webhook(secret).sign(delivery.eventId, startedAt, body),
  );
  const started = performance.now();
  const outcome = await postWebhook(
    endpoint.url,
    body,
    {
      "webhook-id": delivery.eventId,
      "webhook-timestamp": String(Math.floor(startedAt.getTime() / 1000)),
      "webhook-signature": signatures.join(" "),
    },
    {
      ...deps.addressPolicy,
      timeoutMs: deps.timeoutMs ?? WEBHOOK_TIMEOUT_MS,
      ...(deps.lookup ? { lookup: deps.lookup } : {}),
    },
  );
  const durationMs = Math.round(performance.now() - started);
  const finished = deps.clock.now();
  // a delivery the dispatcher queued again (its job was lost) starts a job at retry 0: the
  // attempts it already had count too
  const isLastAttempt = input.isLastAttempt || delivery.attempts >= WEBHOOK_RETRY_POLICY.retryLimit;
  const status = outcome.succeeded ? "SUCCEEDED" : isLastAttempt ? "FAILED" : "PENDING";
  const recorded = await deps.db.$transaction(async (tx) => {
    // only over the state read above: a duplicate job that ended the delivery meanwhile wins
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, status: "PENDING", attempts: delivery.attempts },
      data: {
        attempts: delivery.attempts + 1,
        status,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        nextAttemptAt: status === "PENDING" ? earliestRetryAt(finished, delivery.attempts) : null,
        completedAt: status === "PENDING" ? null : finished,
        updatedAt: finished,
      },
    });
    if (count === 0) return false;
    await tx.webhookAttempt.create({
      data: {
        deliveryId: delivery.id,
        attempt: delivery.attempts + 1,
        startedAt,
        durationMs,
        statusCode: outcome.statusCode,
        error: outcome.error,
      },
    });
    if (status !== "PENDING") await countDeliveryEnd(tx, deps.clock, endpoint.id, outcome.succeeded);
    return true;
  });
  if (!recorded) return "not_pending";
  if (outcome.succeeded) return "succeeded";
  return isLastAttempt ? "failed" : "retry";
}

/** The current secret, and the previous one while its grace period lasts. */
function signingSecrets(
  keyring: MasterKeyring,
  endpoint: {
    id: string;
    secretCiphertext: Uint8Array;
    secretKeyVersion: number;
    previousSecretCiphertext: Uint8Array | null;
    previousSecretKeyVersion: number | null;
    previousSecretExpiresAt: Date | null;
  },
  now: Date,
): string[] {
  const secrets = [
    openWebhookSecret(keyring, endpoint.id, {
      ciphertext: endpoint.secretCiphertext,
      keyVersion: endpoint.secretKeyVersion,
    }),
  ];
  if (
    endpoint.previousSecretCiphertext &&
    endpoint.previousSecretKeyVersion !== null &&
    endpoint.previousSecretExpiresAt &&
    endpoint.previousSecretExpiresAt > now
  ) {
    secrets.push(
      openWebhookSecret(keyring, endpoint.id, {
        ciphertext: endpoint.previousSecretCiphertext,
        keyVersion: endpoint.previousSecretKeyVersion,
      }),
    );
  }
  return secrets;
}

/**
 * A delivery whose job pg-boss dead-lettered (out of retries, or its worker died on the last
 * one) ends as failed, if its last attempt did not already say so.
 */
export async function failDeadLetteredWebhookDelivery(
  deps: { db: Database; clock: Clock },
  input: { deliveryId: string },
): Promise<{ failed: number }> {
  return deps.db.$transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.findUnique({
      where: { id: input.deliveryId },
      select: { endpointId: true },
    });
    if (!delivery) return { failed: 0 };
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: input.deliveryId, status: "PENDING" },
      data: {
        status: "FAILED",
        lastError: "out of attempts",
        nextAttemptAt: null,
        completedAt: deps.clock.now(),
        updatedAt: deps.clock.now(),
      },
    });
    if (count > 0) await countDeliveryEnd(tx, deps.clock, delivery.endpointId, false);
    return { failed: count };
  });
}
