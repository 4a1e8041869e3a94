import { createWebhookEndpoint } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { assertWebhookOwner, webhookDepsOf } from "./webhook-scope.ts";
import { CreateWebhookEndpointInputSchema } from "./webhooks-input.ts";

/** The signing secret is in this response only. */
export const createWebhookEndpointProcedure = allowRoles("ADMIN", "OWNER", "DEVELOPER")
  .input(CreateWebhookEndpointInputSchema)
  .mutation(({ ctx, input }) => {
    assertWebhookOwner(ctx.user, input.organizationId);
    return createWebhookEndpoint(webhookDepsOf(ctx), { ...input, actor: actorOf(ctx) });
  });
