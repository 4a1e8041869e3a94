import { setWebhookEndpointEnabled } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { webhookViewerOf } from "./webhook-scope.ts";
import { SetWebhookEndpointEnabledInputSchema } from "./webhooks-input.ts";

/** Disabled: nothing more is sent to it, deliveries already queued included. */
export const setWebhookEndpointEnabledProcedure = allowRoles("ADMIN", "OWNER", "DEVELOPER")
  .input(SetWebhookEndpointEnabledInputSchema)
  .mutation(({ ctx, input }) =>
    setWebhookEndpointEnabled(ctx, { ...input, viewer: webhookViewerOf(ctx.user), actor: actorOf(ctx) }),
  );
