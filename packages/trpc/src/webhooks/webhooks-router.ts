import { router } from "../procedure.ts";
import { createWebhookEndpointProcedure } from "./create-webhook-endpoint.ts";
import { deleteWebhookEndpointProcedure } from "./delete-webhook-endpoint.ts";
import { listWebhookDeliveriesProcedure } from "./list-webhook-deliveries.ts";
import { listWebhookEndpointsProcedure } from "./list-webhook-endpoints.ts";
import { rotateWebhookSecretProcedure } from "./rotate-webhook-secret.ts";
import { sendTestWebhookEventProcedure } from "./send-test-webhook-event.ts";
import { setWebhookEndpointEnabledProcedure } from "./set-webhook-endpoint-enabled.ts";
import { updateWebhookEndpointProcedure } from "./update-webhook-endpoint.ts";

/** Webhook endpoints of organizations (their developers, admins) and of the platform (admins). */
export const webhooksRouter = router({
  list: listWebhookEndpointsProcedure,
  create: createWebhookEndpointProcedure,
  update: updateWebhookEndpointProcedure,
  setEnabled: setWebhookEndpointEnabledProcedure,
  delete: deleteWebhookEndpointProcedure,
  rotateSecret: rotateWebhookSecretProcedure,
  sendTest: sendTestWebhookEventProcedure,
  deliveries: listWebhookDeliveriesProcedure,
});
