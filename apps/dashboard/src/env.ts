import path from "node:path";
import {
  checkFileStorageEnv,
  checkMailEnv,
  type FileStorageEnv,
  fileStorageEnvSchema,
  type MailSettings,
  mailEnvSchema,
  mailSettingsOf,
  SIGNUP_POLICIES,
  type SignupPolicy,
  type WebhookAddressPolicy,
  webhookAddressPolicyOf,
  webhookEnvSchema,
} from "@dsc/core";
import { databaseEnvSchema, defaultDataDir } from "@dsc/db";
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

const nodeEnv = z.enum(["development", "production", "test"]);

export const dashboardEnvSchema = databaseEnvSchema.extend({
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
  // The gateway as this server reaches it, for the overview's health (GET /readyz, /metrics);
  // GATEWAY_PUBLIC_URL when unset (readiness only). npm start passes the gateway it runs.
  GATEWAY_URL: httpUrl("GATEWAY_URL")
    .optional()
    .transform((url) => url?.replace(/\/+$/, "")),
  // The gateway's METRICS_TOKEN: the overview reads its limiter and event-loop gauges with it,
  // sent only to an address set in GATEWAY_URL.
  METRICS_TOKEN: z.string().min(32, "METRICS_TOKEN must be at least 32 characters").optional(),
  // The dashboard's own public address: sign-in callbacks, and whether cookies are `Secure`.
  NEXTAUTH_URL: httpUrl("NEXTAUTH_URL").optional(),
  // Signs and encrypts session cookies; every dashboard instance must share it.
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters").optional(),
  API_KEY_PEPPER: z.string().min(32, "API_KEY_PEPPER must be at least 32 characters").optional(),
  // The gateway's ENCRYPTION_KEY (version:base64, comma-separated): opens conversation logs.
  ENCRYPTION_KEY: z.string().min(1).optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "REDIS_URL must be a redis:// or rediss:// URL")
    .optional(),
  // `next start` always runs with NODE_ENV=production; the operator's NODE_ENV arrives here
  // (npm start and the start script pass it), so "production" means what it does elsewhere.
  PLATFORM_NODE_ENV: nodeEnv.optional(),
  NODE_ENV: nodeEnv.optional(),
  OIDC_ISSUER: httpUrl("OIDC_ISSUER").optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).max(40).default("Single sign-on"),
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  // S3_BUCKET, S3_ENDPOINT, …: the gateway's file storage, so that deleting a file here removes its bytes
  ...fileStorageEnvSchema.shape,
  // WEBHOOK_ALLOW_PRIVATE=true: webhook endpoints may be on loopback and private addresses
  ...webhookEnvSchema.shape,
  // Who may get an account: open (anyone signs up), invite (through an invitation), closed (admins add people)
  SIGNUP: z.enum(SIGNUP_POLICIES, { error: "SIGNUP must be open, invite or closed" }).default("invite"),
  // SMTP_URL and MAIL_FROM: account e-mails (verification, password reset, invitations)
  ...mailEnvSchema.shape,
});

type RawDashboardEnv = z.infer<typeof dashboardEnvSchema>;

export interface DashboardEnv {
  WEB_PORT: number;
  GATEWAY_PUBLIC_URL: string;
  /** where this server reaches the gateway's /readyz and /metrics */
  GATEWAY_URL: string;
  /**
   * the gateway's metrics token, for GATEWAY_URL; null (the overview shows readiness only) when
   * unset, or when GATEWAY_URL is: it is never sent to the public address by default
   */
  METRICS_TOKEN: string | null;
  /** as configured, else this server's own address on localhost */
  NEXTAUTH_URL: string;
  NEXTAUTH_SECRET: string | null;
  API_KEY_PEPPER: string | null;
  /** the master keys, as the gateway's; null: generated into DATA_DIR outside production */
  ENCRYPTION_KEY: string | null;
  DATABASE_URL: string | null;
  DATA_DIR: string;
  REDIS_URL: string | null;
  isProduction: boolean;
  /** a generic OpenID Connect provider, when all of OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET are set */
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string } | null;
  /** GitHub sign-in, when GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET are set */
  github: { clientId: string; clientSecret: string } | null;
  /** where uploaded files' bytes live: S3 when S3_BUCKET is set, else DATA_DIR/files (as the gateway) */
  fileStorage: FileStorageEnv;
  /** WEBHOOK_ALLOW_PRIVATE: whether webhook endpoints may be on private addresses */
  webhookAddressPolicy: WebhookAddressPolicy;
  /** SIGNUP: who may get an account */
  signup: SignupPolicy;
  /** SMTP_URL and MAIL_FROM; null: links are shown, once, to the person who made them */
  mail: MailSettings | null;
}

export class InvalidDashboardEnvError extends Error {
  override readonly name = "InvalidDashboardEnvError";
}

/**
 * Parses an environment source. Empty strings count as unset, so `NEXTAUTH_URL=` in an
 * .env file means "not configured" rather than "invalid URL".
 */
export function parseDashboardEnv(
  source: Record<string, string | undefined>,
  options: { isBuild?: boolean } = {},
): DashboardEnv {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = dashboardEnvSchema.safeParse(present);
  // Values are never echoed: several of these variables are secrets.
  const problems = result.success
    ? crossChecks(result.data, options.isBuild ?? false)
    : result.error.issues.map((issue) => {
        const variable = issue.path.join(".");
        return issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`;
      });
  if (!result.success || problems.length > 0) {
    throw new InvalidDashboardEnvError(
      `Invalid dashboard environment, refusing to start:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
  const raw = result.data;
  return {
    WEB_PORT: raw.WEB_PORT,
    GATEWAY_PUBLIC_URL: raw.GATEWAY_PUBLIC_URL,
    GATEWAY_URL: raw.GATEWAY_URL ?? raw.GATEWAY_PUBLIC_URL,
    // the public address may be a proxy or a CDN in front of the gateway, or a typo: a secret
    // goes only where an operator said this server reaches the gateway itself
    METRICS_TOKEN: raw.GATEWAY_URL ? (raw.METRICS_TOKEN ?? null) : null,
    NEXTAUTH_URL: (raw.NEXTAUTH_URL ?? `http://localhost:${raw.WEB_PORT}`).replace(/\/+$/, ""),
    NEXTAUTH_SECRET: raw.NEXTAUTH_SECRET ?? null,
    API_KEY_PEPPER: raw.API_KEY_PEPPER ?? null,
    ENCRYPTION_KEY: raw.ENCRYPTION_KEY ?? null,
    DATABASE_URL: raw.DATABASE_URL ?? null,
    DATA_DIR: path.resolve(raw.DATA_DIR ?? defaultDataDir()),
    REDIS_URL: raw.REDIS_URL ?? null,
    isProduction: isProduction(raw),
    oidc:
      raw.OIDC_ISSUER && raw.OIDC_CLIENT_ID && raw.OIDC_CLIENT_SECRET
        ? {
            issuer: raw.OIDC_ISSUER.replace(/\/+$/, ""),
            clientId: raw.OIDC_CLIENT_ID,
            clientSecret: raw.OIDC_CLIENT_SECRET,
            name: raw.OIDC_NAME,
          }
        : null,
    github:
      raw.GITHUB_CLIENT_ID && raw.GITHUB_CLIENT_SECRET
        ? { clientId: raw.GITHUB_CLIENT_ID, clientSecret: raw.GITHUB_CLIENT_SECRET }
        : null,
    fileStorage: {
      S3_BUCKET: raw.S3_BUCKET,
      S3_ENDPOINT: raw.S3_ENDPOINT,
      S3_REGION: raw.S3_REGION,
      S3_ACCESS_KEY_ID: raw.S3_ACCESS_KEY_ID,
      S3_SECRET_ACCESS_KEY: raw.S3_SECRET_ACCESS_KEY,
      S3_FORCE_PATH_STYLE: raw.S3_FORCE_PATH_STYLE,
    },
    webhookAddressPolicy: webhookAddressPolicyOf(raw),
    signup: raw.SIGNUP,
    mail: mailSettingsOf(raw),
  };
}

function isProduction(raw: RawDashboardEnv): boolean {
  return (raw.PLATFORM_NODE_ENV ?? raw.NODE_ENV) === "production";
}

function crossChecks(raw: RawDashboardEnv, isBuild: boolean): string[] {
  const problems: string[] = [];
  // Secrets are configuration of the running server, not of `next build`.
  if (isProduction(raw) && !isBuild) {
    if (!raw.NEXTAUTH_SECRET)
      problems.push("NEXTAUTH_SECRET must be set in production (32 or more random characters)");
    if (!raw.API_KEY_PEPPER) problems.push("API_KEY_PEPPER must be set in production (the gateway's value)");
  }
  const oidc = {
    OIDC_ISSUER: raw.OIDC_ISSUER,
    OIDC_CLIENT_ID: raw.OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET: raw.OIDC_CLIENT_SECRET,
  };
  const missingOidc = Object.entries(oidc)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missingOidc.length > 0 && missingOidc.length < 3) {
    problems.push(
      `${missingOidc.join(" and ")} must be set too: OIDC sign-in needs all of ${Object.keys(oidc).join(", ")}`,
    );
  }
  if (Boolean(raw.GITHUB_CLIENT_ID) !== Boolean(raw.GITHUB_CLIENT_SECRET)) {
    problems.push("GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET must be set together");
  }
  for (const check of [checkFileStorageEnv, checkMailEnv]) {
    try {
      check(raw);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  // an open sign-up's address is proved by a link sent to it: without e-mail nobody could
  if (raw.SIGNUP === "open" && !raw.SMTP_URL) {
    problems.push(
      "SIGNUP=open needs SMTP_URL (and MAIL_FROM): people who sign up verify their address by e-mail",
    );
  }
  return problems;
}

export const env: DashboardEnv = parseDashboardEnv(process.env, {
  // set by Next.js itself while `next build` loads modules to collect page data
  isBuild: process.env.NEXT_PHASE === "phase-production-build",
});

// NextAuth 4 reads its own address from process.env alone (for redirects and the `Secure`
// cookie decision), so the resolved value is handed to it here, once, at start-up.
process.env.NEXTAUTH_URL = env.NEXTAUTH_URL;
