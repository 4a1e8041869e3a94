import { listWebhookDeliveries } from "@dsc/core";
import { allowRoles } from "../procedure.ts";
import { webhookViewerOf } from "./webhook-scope.ts";
import { ListWebhookDeliveriesInputSchema } from "./webhooks-input.ts";

/** An endpoint's deliveries, newest first, each with its attempts. */
export const listWebhookDeliveriesProcedure = allowRoles(
  "ADMIN",
  "COMPLIANCE",
  "OWNER",
  "DEVELOPER",
  "VIEWER",
)
  .input(ListWebhookDeliveriesInputSchema)
  .query(({ ctx, input }) => listWebhookDeliveries(ctx, { ...input, viewer: webhookViewerOf(ctx.user) }));
