import { checkFileStorageEnv, fileStorageEnvSchema, parseTrustedProxies } from "@dsc/core";
import { databaseEnvSchema, parseEnvironment } from "@dsc/db";
import { z } from "zod";
import { gatewayProcessesOf, gatewayWorkersEnvSchema, LOG_LEVELS } from "./cluster/gateway-workers-env.ts";
import { tracingEnvSchema } from "./tracing/tracing-env.ts";

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .default("false")
  .transform((value) => value === "true" || value === "1");
const milliseconds = z.coerce.number().int().min(1);

export const gatewayEnvSchema = databaseEnvSchema.extend({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  GATEWAY_HOST: z.string().min(1).default("0.0.0.0"),
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** GATEWAY_WORKERS: processes on the one port (cluster/gateway-workers-env.ts) */
  ...gatewayWorkersEnvSchema.shape,
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
  /** largest chat completion body; default: from the models' largest context window, at most BODY_LIMIT_BYTES */
  CHAT_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).optional(),
  /** the whole request, headers and body, must arrive within this (else 408 and the connection closes) */
  REQUEST_TIMEOUT_MS: milliseconds.default(300_000),
  /** the request's headers must arrive within this (at most REQUEST_TIMEOUT_MS) */
  HEADERS_TIMEOUT_MS: milliseconds.default(20_000),
  /** an idle keep-alive connection is closed after this (keep it above a load balancer's idle timeout) */
  KEEP_ALIVE_TIMEOUT_MS: milliseconds.default(72_000),
  /** a connection without traffic either way is closed after this; default UPSTREAM_TOTAL_TIMEOUT_MS + 60 s */
  CONNECTION_TIMEOUT_MS: milliseconds.optional(),
  /**
   * on SIGTERM, how long requests in flight (streams above all) may take to end by themselves
   * before the ones left are cut with an error; 0 cuts them at once
   */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** how long a verified key is trusted without asking the database */
  KEY_CACHE_TTL_MS: milliseconds.max(60_000).default(5_000),
  /**
   * how long an organization's limits, models and data settings are used without a change
   * notification (changes are announced by the database at once; this is the safety net)
   */
  ORGANIZATION_CACHE_TTL_MS: milliseconds.max(3_600_000).default(60_000),
  /** encrypts OAuth signing keys at rest; generated into DATA_DIR unless set (required in production) */
  /** master keys of the encrypted conversation logs: version:base64 entries, newest first */
  ENCRYPTION_KEY: z.string().min(1).optional(),
  SIGNING_KEY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** `iss` of access tokens and base of the OAuth metadata; default http://localhost:$GATEWAY_PORT */
  OAUTH_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** `aud` of access tokens; default $OAUTH_ISSUER/v1 */
  OAUTH_AUDIENCE: z.string().min(1).optional(),
  /** lifetime of access tokens: 1 minute to 1 hour */
  OAUTH_TOKEN_TTL_MS: milliseconds.min(60_000).max(3_600_000).default(3_600_000),
  /** how long identical deterministic requests are answered from the cache; 0 turns it off */
  RESPONSE_CACHE_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(3_600),
  /** tokens reserved for the reply of a chat completion that sets no max_tokens */
  DEFAULT_MAX_TOKENS_ESTIMATE: z.coerce.number().int().min(1).max(1_000_000).default(1_024),
  /** usage events are written at least this often, and whenever USAGE_BATCH_SIZE wait */
  USAGE_FLUSH_INTERVAL_MS: milliseconds.max(60_000).default(1_000),
  USAGE_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  UPSTREAM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  UPSTREAM_API_KEY: z.string().min(1).optional(),
  UPSTREAM_MODEL: z.string().min(1).optional(),
  /**
   * keys of the upstreams that deployments name, as JSON: {"https://host": "key", "vllm-a": "key", …};
   * a URL's key goes to deployments on its origin, a plain name's to those whose apiKeyRef names it
   */
  UPSTREAM_API_KEYS: z
    .string()
    .optional()
    .transform((text, context) => upstreamKeysOf(text, context)),
  UPSTREAM_CONNECT_TIMEOUT_MS: milliseconds.default(5_000),
  UPSTREAM_FIRST_BYTE_TIMEOUT_MS: milliseconds.default(60_000),
  UPSTREAM_TOTAL_TIMEOUT_MS: milliseconds.default(600_000),
  UPSTREAM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  /**
   * no attempt at another deployment starts this long after a request's first, and each waits
   * for its first byte at most what is left; default twice UPSTREAM_FIRST_BYTE_TIMEOUT_MS
   */
  UPSTREAM_FAILOVER_WINDOW_MS: milliseconds.optional(),
  /**
   * consecutive failed attempts at a deployment (connection, timeout, 5xx, a 429 without
   * Retry-After) that open its circuit breaker
   */
  DEPLOYMENT_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  /** the share of failed attempts over 30 s, from 20 attempts on, that opens it too; 0 turns that off */
  DEPLOYMENT_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(0).max(100).default(50),
  /** the first cool-down of an open breaker, before one probe; doubled on each re-opening, up to 10× */
  DEPLOYMENT_BREAKER_COOL_DOWN_MS: milliseconds.max(3_600_000).default(30_000),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  /** the bearer token GET /metrics asks for; unset: no /metrics route at all (404) */
  METRICS_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
  /** the proxies in front whose X-Forwarded-* are believed: addresses, CIDRs or loopback, comma-separated */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((text, context) => {
      try {
        return parseTrustedProxies(text);
      } catch (error) {
        context.addIssue({ code: "custom", message: (error as Error).message });
        return [];
      }
    }),
  ALLOW_PLAIN_HTTP: flag,
  /** S3_BUCKET, S3_ENDPOINT, …: uploaded files go to S3 instead of DATA_DIR/files */
  ...fileStorageEnvSchema.shape,
  /** OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER, …: OpenTelemetry traces (tracing/tracing-env.ts) */
  ...tracingEnvSchema.shape,
});

// a name a deployment's apiKeyRef can give, distinct from a URL (no colon)
const UPSTREAM_KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** UPSTREAM_API_KEYS as a map from origin, or from a plain name, to key. */
function upstreamKeysOf(text: string | undefined, context: z.RefinementCtx): Map<string, string> {
  const keys = new Map<string, string>();
  if (text === undefined || text.trim() === "") return keys;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    context.addIssue({ code: "custom", message: 'must be JSON: {"https://host": "key", …}' });
    return keys;
  }
  const entries = z
    .record(
      z.union([z.url({ protocol: /^https?$/ }), z.string().regex(UPSTREAM_KEY_NAME)]),
      z.string().min(1),
    )
    .safeParse(parsed);
  if (!entries.success) {
    context.addIssue({
      code: "custom",
      message:
        "must map http(s) URLs or names (letters, digits, dots, dashes, underscores) to non-empty keys",
    });
    return keys;
  }
  for (const [name, key] of Object.entries(entries.data))
    keys.set(UPSTREAM_KEY_NAME.test(name) ? name : new URL(name).origin, key);
  return keys;
}

export type GatewayEnv = Omit<
  z.infer<typeof gatewayEnvSchema>,
  "CONNECTION_TIMEOUT_MS" | "UPSTREAM_FAILOVER_WINDOW_MS" | "GATEWAY_WORKERS"
> & {
  DATA_DIR: string;
  GATEWAY_WORKERS: number;
  CONNECTION_TIMEOUT_MS: number;
  UPSTREAM_FAILOVER_WINDOW_MS: number;
};

/** Parses the environment once at start-up; the error names every bad variable. */
export function parseGatewayEnv(source: NodeJS.ProcessEnv): GatewayEnv {
  const env = parseEnvironment(gatewayEnvSchema, source);
  if (Boolean(env.TLS_CERT_FILE) !== Boolean(env.TLS_KEY_FILE)) {
    throw new Error("invalid configuration: TLS_CERT_FILE and TLS_KEY_FILE must be set together");
  }
  checkFileStorageEnv(env);
  if (env.HEADERS_TIMEOUT_MS > env.REQUEST_TIMEOUT_MS) {
    throw new Error("invalid configuration: HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS");
  }
  const { workers } = gatewayProcessesOf(source);
  // an answer may wait for its upstream that long without a byte on the connection
  return {
    ...env,
    GATEWAY_WORKERS: workers,
    CONNECTION_TIMEOUT_MS: env.CONNECTION_TIMEOUT_MS ?? env.UPSTREAM_TOTAL_TIMEOUT_MS + 60_000,
    // a window of one first-byte timeout let a deployment that never answers use all of it
    UPSTREAM_FAILOVER_WINDOW_MS: env.UPSTREAM_FAILOVER_WINDOW_MS ?? 2 * env.UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
  };
}
