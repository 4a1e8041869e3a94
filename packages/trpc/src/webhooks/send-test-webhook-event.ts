import { sendTestWebhookEvent } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { webhookViewerOf } from "./webhook-scope.ts";
import { WebhookEndpointInputSchema } from "./webhooks-input.ts";

/** Queues a `webhook.test` event; the worker sends it within a minute. */
export const sendTestWebhookEventProcedure = allowRoles("ADMIN", "DEVELOPER")
  .input(WebhookEndpointInputSchema)
  .mutation(({ ctx, input }) =>
    sendTestWebhookEvent(ctx, { ...input, viewer: webhookViewerOf(ctx.user), actor: actorOf(ctx) }),
  );
