import { QUOTA_THRESHOLDS_PERCENT, type WEBHOOK_EVENT_TYPES } from "@dsc/vocabulary";
import { z } from "zod";

// The bodies the platform POSTs to webhook endpoints, signed as Standard Webhooks define
// (`webhook-id`, `webhook-timestamp`, `webhook-signature`). Receivers and the platform's tests
// parse them with these schemas. Every field is an id, a figure, a kind or a time: never a
// person's name, an end user's id, an email address or any content.

const isoTime = z.iso.datetime({ offset: true });
const organizationId = z.string().startsWith("org_");

const deletionRequestData = z.object({
  deletion_request_id: z.string().startsWith("delreq_"),
  /** null for the account of a person who belongs to no organization */
  organization_id: organizationId.nullable(),
  subject_type: z.enum(["END_USER", "ORGANIZATION", "ACCOUNT"]),
  due_at: isoTime,
});

export const DeletionRequestNearDeadlineDataSchema = deletionRequestData.extend({ status: z.string() });
export const DeletionRequestOverdueDataSchema = deletionRequestData.extend({ status: z.string() });
export const DeletionRequestCompletedDataSchema = deletionRequestData.extend({
  completed_at: isoTime,
  /** completed after its deadline */
  late: z.boolean(),
});

export const QuotaThresholdReachedDataSchema = z.object({
  organization_id: organizationId,
  threshold_percent: z.union(QUOTA_THRESHOLDS_PERCENT.map((value) => z.literal(value))),
  /** the calendar month (UTC) the quota counts, e.g. "2026-12" */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  tokens_used: z.number().int().nonnegative(),
  monthly_token_quota: z.number().int().positive(),
});

export const CredentialExpiringDataSchema = z.object({
  credential_type: z.enum(["api_key", "oauth_client"]),
  credential_id: z.string(),
  organization_id: organizationId,
  expires_at: isoTime,
});

export const DeploymentBreakerOpenedDataSchema = z.object({
  deployment_id: z.string(),
  model_id: z.string(),
  opened_at: isoTime,
  /** until when requests skip the deployment before it is probed again */
  retry_after: isoTime.nullable(),
  /** failures in the breaker's window when it opened */
  failures: z.number().int().nonnegative(),
});

export const WebhookTestDataSchema = z.object({ endpoint_id: z.string().startsWith("whep_") });

/** The `data` of each event type. */
export const WEBHOOK_EVENT_DATA_SCHEMAS = {
  "deletion_request.near_deadline": DeletionRequestNearDeadlineDataSchema,
  "deletion_request.overdue": DeletionRequestOverdueDataSchema,
  "deletion_request.completed": DeletionRequestCompletedDataSchema,
  "quota.threshold_reached": QuotaThresholdReachedDataSchema,
  "credential.expiring": CredentialExpiringDataSchema,
  "deployment.breaker_opened": DeploymentBreakerOpenedDataSchema,
  "webhook.test": WebhookTestDataSchema,
} as const satisfies Record<(typeof WEBHOOK_EVENT_TYPES)[number], z.ZodType>;

type DataSchemas = typeof WEBHOOK_EVENT_DATA_SCHEMAS;

/** An event before it is sent: its type and data. */
export type WebhookEventInput = {
  [Type in keyof DataSchemas]: { type: Type; data: z.infer<DataSchemas[Type]> };
}[keyof DataSchemas];

const envelope = <Type extends keyof DataSchemas>(type: Type) =>
  z.object({
    /** the same as the `webhook-id` header; the same for every attempt of a delivery */
    id: z.string().startsWith("evt_"),
    type: z.literal(type),
    /** when the event happened */
    timestamp: isoTime,
    data: WEBHOOK_EVENT_DATA_SCHEMAS[type],
  });

/** A webhook's body, as the platform signs and sends it. */
export const WebhookEventSchema = z.discriminatedUnion("type", [
  envelope("deletion_request.near_deadline"),
  envelope("deletion_request.overdue"),
  envelope("deletion_request.completed"),
  envelope("quota.threshold_reached"),
  envelope("credential.expiring"),
  envelope("deployment.breaker_opened"),
  envelope("webhook.test"),
]);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
