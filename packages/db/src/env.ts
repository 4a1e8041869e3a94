import path from "node:path";
import { z } from "zod";
import { defaultDataDir } from "./data-dir.ts";

/** The database part of every app's environment. */
export const databaseEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).optional(),
});

/** A bad environment: the message names every variable at fault. */
export class EnvironmentError extends Error {}

/**
 * Validates an app's environment once at start-up and resolves DATA_DIR (default: `.data/` at
 * the repository root, see defaultDataDir).
 */
export function parseEnvironment<S extends z.ZodType<{ DATA_DIR?: string | undefined }>>(
  schema: S,
  source: NodeJS.ProcessEnv,
): z.infer<S> & { DATA_DIR: string } {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new EnvironmentError(`invalid configuration: ${problems.join("; ")}`);
  }
  return { ...result.data, DATA_DIR: path.resolve(result.data.DATA_DIR ?? defaultDataDir()) };
}
