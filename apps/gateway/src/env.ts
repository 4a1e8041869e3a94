import path from "node:path";
import { databaseEnvSchema, defaultDataDir } from "@dsc/db";
import { z } from "zod";

export const gatewayEnvSchema = databaseEnvSchema.extend({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  GATEWAY_HOST: z.string().min(1).default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema> & { DATA_DIR: string };

/** Parses the environment once at start-up; the error names every bad variable. */
export function parseGatewayEnv(source: NodeJS.ProcessEnv): GatewayEnv {
  const result = gatewayEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`invalid configuration: ${problems.join("; ")}`);
  }
  return { ...result.data, DATA_DIR: path.resolve(result.data.DATA_DIR ?? defaultDataDir()) };
}
