import { listWebhookEndpoints } from "@dsc/core";
import { allowRoles } from "../procedure.ts";
import { assertWebhookOwner } from "./webhook-scope.ts";
import { ListWebhookEndpointsInputSchema } from "./webhooks-input.ts";

/** One owner's endpoints, newest first; never their secrets. */
export const listWebhookEndpointsProcedure = allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER")
  .input(ListWebhookEndpointsInputSchema)
  .query(({ ctx, input }) => {
    assertWebhookOwner(ctx.user, input.organizationId);
    return listWebhookEndpoints(ctx, input);
  });
