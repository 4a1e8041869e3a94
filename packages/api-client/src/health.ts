import { z } from "zod";

/** `GET /healthz`: the process is up. */
export const LivenessSchema = z.object({ status: z.literal("ok") });
export type Liveness = z.infer<typeof LivenessSchema>;

/** `GET /readyz`: the process can serve requests (its dependencies answer). */
export const ReadinessSchema = z.object({
  status: z.enum(["ready", "unavailable"]),
  checks: z.record(z.string(), z.enum(["up", "down"])),
});
export type Readiness = z.infer<typeof ReadinessSchema>;

/**
 * `GET /internal/deployments/health` (operator's metrics token): this gateway's circuit breaker
 * of each model deployment it has routed to. `available` is false when the gateway keeps none.
 */
export const DeploymentHealthReportSchema = z.object({
  available: z.boolean(),
  deployments: z.array(
    z.object({
      deployment_id: z.string(),
      state: z.enum(["closed", "open", "half_open"]),
      /** ISO 8601; set while a 429's Retry-After or an open breaker keeps it cooling down */
      cooling_until: z.string().nullable(),
      consecutive_failures: z.number().int().min(0),
    }),
  ),
});
export type DeploymentHealthReport = z.infer<typeof DeploymentHealthReportSchema>;
