import { availableParallelism } from "node:os";
import { z } from "zod";

/**
 * What LOG_LEVEL may say: pino's levels and silent. Here rather than in env.ts because the
 * cluster's primary needs them too, and loads this module alone.
 */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * The part of the environment that decides how many gateway processes run. It imports zod
 * alone: the cluster's primary reads it and nothing else, so that it never loads the app
 * (Prisma, the providers, the text-work pool) it only supervises. env.ts reads it too, so
 * that a worker and a single gateway refuse the same settings.
 */
export const gatewayWorkersEnvSchema = z.object({
  /** gateway processes on the one port (node:cluster); default: the cores with Redis, else 1 */
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  /** set by the primary for the workers it forks: which of the N places a worker holds (0 to N-1) */
  GATEWAY_WORKER_SLOT: z.coerce.number().int().min(0).optional(),
});

export interface GatewayProcessSettings {
  /** how many processes serve the port; 1: today's single process, no primary */
  workers: number;
  /** a worker's place among them, as its primary said; null outside a cluster */
  slot: number | null;
}

/**
 * How many gateway processes to run. More than one shares rate limits, token reservations and
 * quotas only through Redis: each process's memory store would let a tier's 5 requests a
 * minute through once per process. And the embedded database is started by the gateway
 * process itself, which several processes cannot do together.
 */
export function gatewayProcessesOf(
  source: NodeJS.ProcessEnv,
  cores: number = availableParallelism(),
): GatewayProcessSettings {
  const parsed = gatewayWorkersEnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join("; ")}`);
  }
  const hasRedis = Boolean(source.REDIS_URL);
  const hasDatabase = Boolean(source.DATABASE_URL);
  const workers = parsed.data.GATEWAY_WORKERS ?? (hasRedis && hasDatabase ? cores : 1);
  if (workers > 1 && !hasRedis) {
    throw new Error(
      `invalid configuration: GATEWAY_WORKERS=${workers} needs REDIS_URL: the memory store keeps rate limits, ` +
        "token reservations and quotas in each process, so they would not be exact across processes; " +
        "set REDIS_URL, or GATEWAY_WORKERS=1",
    );
  }
  if (workers > 1 && !hasDatabase) {
    throw new Error(
      `invalid configuration: GATEWAY_WORKERS=${workers} needs DATABASE_URL: the embedded database is started ` +
        "by the gateway process itself, which several processes cannot share (npm start sets DATABASE_URL); " +
        "set DATABASE_URL, or GATEWAY_WORKERS=1",
    );
  }
  return { workers, slot: parsed.data.GATEWAY_WORKER_SLOT ?? null };
}
