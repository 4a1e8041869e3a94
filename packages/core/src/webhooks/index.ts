export { announceBreakerOpened, type BreakerOpening } from "./announce-breaker-opened.ts";
export { WEBHOOK_FAILURES_BEFORE_DISABLE } from "./count-endpoint-failures.ts";
export {
  type CreateWebhookEndpointInput,
  createWebhookEndpoint,
  MAX_WEBHOOK_ENDPOINTS_PER_OWNER,
} from "./create-webhook-endpoint.ts";
export { deleteWebhookEndpoint } from "./delete-webhook-endpoint.ts";
export {
  deliverWebhook,
  failDeadLetteredWebhookDelivery,
  type WebhookDeliveryDeps,
  type WebhookDeliveryOutcome,
} from "./deliver-webhook.ts";
export {
  dispatchWebhookDeliveries,
  type QueueWebhookDelivery,
  type TransactionSql,
  WEBHOOK_REQUEUE_AFTER_MS,
} from "./dispatch-webhook-deliveries.ts";
export {
  type EnqueuedWebhookEvent,
  enqueueWebhookEvent,
  type WebhookEventToSend,
} from "./enqueue-webhook-event.ts";
export { listWebhookDeliveries, type WebhookDeliveryView } from "./list-webhook-deliveries.ts";
export { listWebhookEndpoints } from "./list-webhook-endpoints.ts";
export {
  notifyCompletedDeletionRequests,
  notifyDeletionDeadlines,
} from "./notify-deletion-request-events.ts";
export { notifyExpiringCredentials } from "./notify-expiring-credentials.ts";
export { notifyQuotaThresholds } from "./notify-quota-thresholds.ts";
export { pruneWebhookRecords, WEBHOOK_DELIVERIES_KEPT_MS } from "./prune-webhook-records.ts";
export { rewrapWebhookSecrets } from "./rewrap-webhook-secrets.ts";
export { rotateWebhookSecret, WEBHOOK_SECRET_GRACE_MS } from "./rotate-webhook-secret.ts";
export { sendTestWebhookEvent, TEST_EVENT_INTERVAL_MS } from "./send-test-webhook-event.ts";
export { setWebhookEndpointEnabled } from "./set-webhook-endpoint-enabled.ts";
export { type UpdateWebhookEndpointInput, updateWebhookEndpoint } from "./update-webhook-endpoint.ts";
export {
  type HostLookup,
  isPublicAddress,
  parseWebhookUrl,
  resolveWebhookHost,
  systemHostLookup,
  type WebhookAddressPolicy,
} from "./webhook-address-policy.ts";
export type { WebhookEndpointDeps } from "./webhook-deps.ts";
export type { WebhookEndpointView, WebhookViewer } from "./webhook-endpoint-view.ts";
export { webhookAddressPolicyOf, webhookEnvSchema } from "./webhook-env.ts";
export { WEBHOOK_RETRY_POLICY, WEBHOOK_TIMEOUT_MS } from "./webhook-retry-policy.ts";
export { newWebhookSecret } from "./webhook-secret.ts";
