import { rotateWebhookSecret } from "@dsc/core";
import { actorOf } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { webhookDepsOf, webhookViewerOf } from "./webhook-scope.ts";
import { RotateWebhookSecretInputSchema } from "./webhooks-input.ts";

const GRACE_MS = { none: 0, "1h": 3_600_000, "24h": 86_400_000 } as const;

/** The new secret is in this response only; the old one also signs until the grace period ends. */
export const rotateWebhookSecretProcedure = allowRoles("ADMIN", "OWNER", "DEVELOPER")
  .input(RotateWebhookSecretInputSchema)
  .mutation(({ ctx, input }) =>
    rotateWebhookSecret(webhookDepsOf(ctx), {
      endpointId: input.endpointId,
      gracePeriodMs: GRACE_MS[input.gracePeriod],
      viewer: webhookViewerOf(ctx.user),
      actor: actorOf(ctx),
    }),
  );
