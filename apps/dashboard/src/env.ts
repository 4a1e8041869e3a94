import { z } from "zod";

/**
 * The dashboard's environment, validated once at start-up (see instrumentation.ts).
 * This is the only module of the dashboard that reads process.env.
 */

const httpUrl = (variable: string) =>
  z.url({
    protocol: /^https?$/,
    error: `${variable} must be an http:// or https:// URL`,
  });

export const dashboardEnvSchema = z.object({
  WEB_PORT: z.coerce
    .number({ error: "WEB_PORT must be a port number" })
    .int("WEB_PORT must be a whole number")
    .min(1, "WEB_PORT must be between 1 and 65535")
    .max(65535, "WEB_PORT must be between 1 and 65535")
    .default(3000),
  // The public address of apps/gateway, as API users reach it (shown on the sign-in page).
  GATEWAY_PUBLIC_URL: httpUrl("GATEWAY_PUBLIC_URL")
    .default("http://localhost:8080")
    .transform((url) => url.replace(/\/+$/, "")),
  NEXTAUTH_URL: httpUrl("NEXTAUTH_URL").optional(),
});

export type DashboardEnv = z.infer<typeof dashboardEnvSchema>;

export class InvalidDashboardEnvError extends Error {
  override readonly name = "InvalidDashboardEnvError";
}

/**
 * Parses an environment source. Empty strings count as unset, so `NEXTAUTH_URL=` in an
 * .env file means "not configured" rather than "invalid URL".
 */
export function parseDashboardEnv(source: Record<string, string | undefined>): DashboardEnv {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = dashboardEnvSchema.safeParse(present);
  if (result.success) return result.data;

  // Values are not echoed: later variables (NEXTAUTH_SECRET) are secrets.
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join(".");
    return issue.message.startsWith(variable) ? `  - ${issue.message}` : `  - ${variable}: ${issue.message}`;
  });
  throw new InvalidDashboardEnvError(
    `Invalid dashboard environment, refusing to start:\n${problems.join("\n")}`,
  );
}

export const env: DashboardEnv = parseDashboardEnv(process.env);
