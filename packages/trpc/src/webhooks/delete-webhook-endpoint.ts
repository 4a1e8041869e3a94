import { deleteWebhookEndpoint } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { webhookViewerOf } from "./webhook-scope.ts";
import { WebhookEndpointInputSchema } from "./webhooks-input.ts";

export const deleteWebhookEndpointProcedure = allowRoles("ADMIN", "OWNER", "DEVELOPER")
  .input(WebhookEndpointInputSchema)
  .mutation(({ ctx, input }) =>
    deleteWebhookEndpoint(ctx, { ...input, viewer: webhookViewerOf(ctx.user), actor: actorOf(ctx) }),
  );
