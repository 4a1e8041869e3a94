import { webhookEnvSchema } from "@dsc/core";
import { databaseEnvSchema, EnvironmentError, parseEnvironment } from "@dsc/db";
import { z } from "zod";

/** Variables of `dsc-admin` and of the `npm start` supervisor, validated once. */
export const cliEnvSchema = databaseEnvSchema.extend({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  API_KEY_PEPPER: z.string().min(32, "must be at least 32 characters").optional(),
  /** encrypts OAuth signing keys at rest (signing-key rotate); the gateway must have the same */
  SIGNING_KEY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ADMIN_EMAIL: z.email().default("admin@localhost.localdomain"),
  ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  WEB_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /**
   * the worker's /metrics port (on 127.0.0.1 unless WORKER_METRICS_HOST says otherwise), with the
   * same token; unset, the worker serves none, so that two platforms on one machine never contend
   * for a fixed port
   */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** the gateway's grace for requests in flight on SIGTERM (as in its env.ts): the stop waits longer */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** the gateway's and the worker's /metrics token, also given to the dashboard; npm start generates one when unset */
  METRICS_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /** the API address people are shown; defaults to this machine's gateway */
  GATEWAY_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** the master keys, as the gateway's: webhook commands seal and rotate signing secrets with them */
  ENCRYPTION_KEY: z.string().min(1).optional(),
  /** WEBHOOK_ALLOW_PRIVATE: webhook endpoints may be on loopback and private addresses */
  ...webhookEnvSchema.shape,
});

export type CliEnv = z.infer<typeof cliEnvSchema> & { DATA_DIR: string };

/** The error a bad environment raises (exit status 2). */
export { EnvironmentError as EnvError };

/** Parses the environment; the error names every bad variable. */
export function parseCliEnv(source: NodeJS.ProcessEnv): CliEnv {
  return parseEnvironment(cliEnvSchema, source);
}
