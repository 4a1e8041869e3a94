import path from "node:path";
import { databaseEnvSchema, defaultDataDir } from "@dsc/db";
import { z } from "zod";

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .default("false")
  .transform((value) => value === "true" || value === "1");
const milliseconds = z.coerce.number().int().min(1);

export const gatewayEnvSchema = databaseEnvSchema.extend({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  GATEWAY_HOST: z.string().min(1).default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  API_KEY_PEPPER: z.string().min(32, "must be at least 32 characters").optional(),
  /** largest accepted request body */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** how long a verified key is trusted without asking the database */
  KEY_CACHE_TTL_MS: milliseconds.max(60_000).default(5_000),
  UPSTREAM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  UPSTREAM_API_KEY: z.string().min(1).optional(),
  UPSTREAM_MODEL: z.string().min(1).optional(),
  UPSTREAM_CONNECT_TIMEOUT_MS: milliseconds.default(5_000),
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: milliseconds.default(60_000),
  UPSTREAM_TOTAL_TIMEOUT_MS: milliseconds.default(600_000),
  UPSTREAM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  TRUST_PROXY: flag,
  ALLOW_PLAIN_HTTP: flag,
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema> & { DATA_DIR: string };

/** Parses the environment once at start-up; the error names every bad variable. */
export function parseGatewayEnv(source: NodeJS.ProcessEnv): GatewayEnv {
  const result = gatewayEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join("; ")}`);
  }
  if (Boolean(result.data.TLS_CERT_FILE) !== Boolean(result.data.TLS_KEY_FILE)) {
    throw new Error("invalid configuration: TLS_CERT_FILE and TLS_KEY_FILE must be set together");
  }
  return { ...result.data, DATA_DIR: path.resolve(result.data.DATA_DIR ?? defaultDataDir()) };
}
