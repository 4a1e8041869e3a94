import type { WebhookEventType } from "@dsc/trpc/schemas";

/** What each event means to the person choosing it. */
export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, { label: string; hint: string }> = {
  "deletion_request.near_deadline": {
    label: "Deletion request near its deadline",
    hint: "An erasure is due within 12 hours and not finished.",
  },
  "deletion_request.overdue": {
    label: "Deletion request overdue",
    hint: "An erasure is past its 72-hour deadline.",
  },
  "deletion_request.completed": {
    label: "Deletion request completed",
    hint: "An erasure finished, with its report.",
  },
  "quota.threshold_reached": {
    label: "Monthly quota at 80 % or 100 %",
    hint: "Once a month per threshold, from the month's tokens.",
  },
  "credential.expiring": {
    label: "Key or OAuth client expiring",
    hint: "Seven days before an API key or OAuth client expires.",
  },
  "deployment.breaker_opened": {
    label: "Deployment circuit breaker opened",
    hint: "Requests skip an upstream deployment that keeps failing.",
  },
  "webhook.test": { label: "Test event", hint: "Sent by “Send test event” only." },
};
