import { checkFileStorageEnv, fileStorageEnvSchema, webhookEnvSchema } from "@dsc/core";
import { databaseEnvSchema, EnvironmentError, parseEnvironment } from "@dsc/db";
import { z } from "zod";

export const workerEnvSchema = databaseEnvSchema.extend({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  ENCRYPTION_KEY: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /**
   * the gateways' response-cache TTL (same variable, same default; set it alike everywhere): an
   * erasure completes only this long after it asked the gateways to purge the subject's cached
   * answers, so an entry a gateway missed has expired by then; 0 (caching off) waits for nothing
   */
  RESPONSE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3_600),
  /** S3_BUCKET, S3_ENDPOINT, …: the same file storage as the gateway's */
  ...fileStorageEnvSchema.shape,
  /** WEBHOOK_ALLOW_PRIVATE: deliver to loopback and private addresses too */
  ...webhookEnvSchema.shape,
  /** the port of the worker's GET /metrics; unset: no metrics server */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** where that server listens: the loopback address unless the scraper is elsewhere */
  WORKER_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  /** the bearer token the metrics server asks for (the gateway's, usually) */
  METRICS_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
});

export type WorkerEnv = z.infer<typeof workerEnvSchema> & { DATA_DIR: string };

/** Parses the environment once at start-up; the error names every bad variable. */
export function parseWorkerEnv(source: NodeJS.ProcessEnv): WorkerEnv {
  const env = parseEnvironment(workerEnvSchema, source);
  checkFileStorageEnv(env);
  // metrics are never served without a token
  if (env.WORKER_METRICS_PORT !== undefined && !env.METRICS_TOKEN) {
    throw new EnvironmentError(
      "invalid configuration: WORKER_METRICS_PORT is set but METRICS_TOKEN is not (the worker's /metrics needs a token)",
    );
  }
  return env;
}
