import { updateWebhookEndpoint } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { webhookDepsOf, webhookViewerOf } from "./webhook-scope.ts";
import { UpdateWebhookEndpointInputSchema } from "./webhooks-input.ts";

export const updateWebhookEndpointProcedure = allowRoles("ADMIN", "OWNER", "DEVELOPER")
  .input(UpdateWebhookEndpointInputSchema)
  .mutation(({ ctx, input }) =>
    updateWebhookEndpoint(webhookDepsOf(ctx), {
      ...input,
      viewer: webhookViewerOf(ctx.user),
      actor: actorOf(ctx),
    }),
  );
