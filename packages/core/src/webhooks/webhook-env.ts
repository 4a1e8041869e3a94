import { z } from "zod";
import type { WebhookAddressPolicy } from "./webhook-address-policy.ts";

/**
 * The webhooks' environment, for every process that creates endpoints or delivers to them
 * (worker, dashboard, CLI): WEBHOOK_ALLOW_PRIVATE=true lets endpoints be on loopback, private
 * and link-local addresses, for tests and for receivers inside the operator's own network.
 */
export const webhookEnvSchema = z.object({
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(["true", "false", "1", "0", ""])
    .default("false")
    .transform((value) => value === "true" || value === "1"),
});

export function webhookAddressPolicyOf(env: { WEBHOOK_ALLOW_PRIVATE: boolean }): WebhookAddressPolicy {
  return { allowPrivate: env.WEBHOOK_ALLOW_PRIVATE };
}
