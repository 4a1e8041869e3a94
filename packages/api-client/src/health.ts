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
