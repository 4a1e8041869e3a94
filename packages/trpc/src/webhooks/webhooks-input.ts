import {
  ORGANIZATION_WEBHOOK_EVENT_TYPES,
  SUBSCRIBABLE_WEBHOOK_EVENT_TYPES,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_DESCRIPTION_MAX_LENGTH,
  WEBHOOK_URL_MAX_LENGTH,
} from "@dsc/vocabulary";
import { z } from "zod";

export { ORGANIZATION_WEBHOOK_EVENT_TYPES };

const endpointId = z.string().min(1).max(100);
const eventTypes = z
  .array(z.enum(SUBSCRIBABLE_WEBHOOK_EVENT_TYPES as [string, ...string[]]))
  .min(1, "Choose at least one event.")
  .max(SUBSCRIBABLE_WEBHOOK_EVENT_TYPES.length);
const url = z
  .string()
  .trim()
  .min(1, "Enter the URL that receives the events.")
  .max(WEBHOOK_URL_MAX_LENGTH, `Use at most ${WEBHOOK_URL_MAX_LENGTH} characters.`);
const description = z
  .string()
  .trim()
  .max(WEBHOOK_DESCRIPTION_MAX_LENGTH, `Use at most ${WEBHOOK_DESCRIPTION_MAX_LENGTH} characters.`);
const paging = {
  limit: z.number().int().min(1).max(100).optional(),
  after: z.string().min(1).max(100).optional(),
};

/** Whose endpoints: an organization's, or the platform's (null, admins only). */
export const ListWebhookEndpointsInputSchema = z.object({
  organizationId: z.string().min(1).max(100).nullable(),
  ...paging,
});

export const CreateWebhookEndpointInputSchema = z.object({
  organizationId: z.string().min(1).max(100).nullable(),
  url,
  description: description.optional(),
  eventTypes,
});
export type CreateWebhookEndpointInput = z.input<typeof CreateWebhookEndpointInputSchema>;

export const UpdateWebhookEndpointInputSchema = z.object({
  endpointId,
  url: url.optional(),
  description: description.optional(),
  eventTypes: eventTypes.optional(),
});

export const SetWebhookEndpointEnabledInputSchema = z.object({ endpointId, enabled: z.boolean() });

export const WebhookEndpointInputSchema = z.object({ endpointId });

export const RotateWebhookSecretInputSchema = z.object({
  endpointId,
  /** how long deliveries are signed with the old secret too */
  gracePeriod: z.enum(["none", "1h", "24h"]).default("24h"),
});

export const ListWebhookDeliveriesInputSchema = z.object({
  endpointId,
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  ...paging,
});
