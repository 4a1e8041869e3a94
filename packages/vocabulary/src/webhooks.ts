/**
 * The events a webhook endpoint may subscribe to. Their payloads (ids, figures and times, never
 * personal data or content) are defined in the contract, `@dsc/api-client`'s webhook-events.
 */
export const WEBHOOK_EVENT_TYPES = [
  "deletion_request.near_deadline",
  "deletion_request.overdue",
  "deletion_request.completed",
  "quota.threshold_reached",
  "credential.expiring",
  "deployment.breaker_opened",
  "webhook.test",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent only by "send test event", whatever the endpoint subscribes to. */
export const WEBHOOK_TEST_EVENT_TYPE = "webhook.test" satisfies WebhookEventType;

/** The events an endpoint can choose (the test event is not a subscription). */
export const SUBSCRIBABLE_WEBHOOK_EVENT_TYPES = WEBHOOK_EVENT_TYPES.filter(
  (type) => type !== WEBHOOK_TEST_EVENT_TYPE,
);

/** Events about the platform itself, which only the platform's endpoints receive. */
export const PLATFORM_ONLY_WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = ["deployment.breaker_opened"];

/** The events an organization's endpoint can choose. */
export const ORGANIZATION_WEBHOOK_EVENT_TYPES = SUBSCRIBABLE_WEBHOOK_EVENT_TYPES.filter(
  (type) => !PLATFORM_ONLY_WEBHOOK_EVENT_TYPES.includes(type),
);

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** What the month's tokens are compared with: a share of the tier's monthly quota, in percent. */
export const QUOTA_THRESHOLDS_PERCENT = [80, 100] as const;

/** A credential this close to its expiry is announced (once) by `credential.expiring`. */
export const CREDENTIAL_EXPIRY_NOTICE_MS = 7 * 24 * 60 * 60 * 1_000;

/** The states of one delivery: pending until it succeeds or runs out of attempts. */
export const WEBHOOK_DELIVERY_STATUSES = ["PENDING", "SUCCEEDED", "FAILED"] as const;
export type WebhookDeliveryStatusName = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** A webhook endpoint's description, in characters. */
export const WEBHOOK_DESCRIPTION_MAX_LENGTH = 200;
/** A webhook endpoint's URL, in characters. */
export const WEBHOOK_URL_MAX_LENGTH = 2_000;
