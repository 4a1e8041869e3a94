import { readFileSync } from "node:fs";
import {
  createApiKeyAuthenticator,
  createProviderRegistry,
  createRevocationBus,
  loadApiKeyPepper,
  systemClock,
} from "@dsc/core";
import { createDatabaseClient, ensureDatabase } from "@dsc/db";
import { pino } from "pino";
import { buildGateway } from "./build-gateway.ts";
import { parseGatewayEnv } from "./env.ts";

let env: ReturnType<typeof parseGatewayEnv>;
try {
  env = parseGatewayEnv(process.env);
} catch (error) {
  process.stderr.write(`gateway: ${(error as Error).message}\n`);
  process.exit(2);
}

const logger = pino({
  level: env.LOG_LEVEL,
  base: { service: "gateway" },
  // belt and braces: nothing logs headers today, and if something does, credentials stay out
  redact: {
    paths: ["req.headers.authorization", "headers.authorization", "*.apiKey", "*.secret"],
    censor: "[redacted]",
  },
});
// With DATABASE_URL the schema is migrated by `dsc-admin migrate` (one step per deploy,
// not per instance); without it the embedded database is joined, or started for this process.
const database = env.DATABASE_URL
  ? null
  : await ensureDatabase({ dataDir: env.DATA_DIR, log: (message) => logger.info(message) });
const databaseUrl = env.DATABASE_URL ?? (database?.url as string);
const db = createDatabaseClient(databaseUrl);
const pepper = await loadApiKeyPepper({
  configured: env.API_KEY_PEPPER,
  dataDir: env.DATA_DIR,
  isProduction: env.NODE_ENV === "production",
});
const revocations = createRevocationBus({ redisUrl: env.REDIS_URL, databaseUrl }, (error) =>
  logger.warn({ err: error }, "revocation channel error"),
);
const authenticator = await createApiKeyAuthenticator({
  db,
  clock: systemClock,
  pepper,
  revocations,
  cacheTtlMs: env.KEY_CACHE_TTL_MS,
});
const providers = createProviderRegistry({
  defaultUpstream: env.UPSTREAM_BASE_URL
    ? {
        baseUrl: env.UPSTREAM_BASE_URL,
        apiKey: env.UPSTREAM_API_KEY ?? null,
        model: env.UPSTREAM_MODEL ?? null,
      }
    : null,
  timeouts: {
    connectMs: env.UPSTREAM_CONNECT_TIMEOUT_MS,
    firstByteMs: env.UPSTREAM_FIRST_BYTE_TIMEOUT_MS,
    totalMs: env.UPSTREAM_TOTAL_TIMEOUT_MS,
  },
  retries: { attempts: env.UPSTREAM_MAX_ATTEMPTS },
});
logger.info(
  { upstream: env.UPSTREAM_BASE_URL ? new URL(env.UPSTREAM_BASE_URL).origin : "built-in local model" },
  "model provider",
);

const tls =
  env.TLS_CERT_FILE && env.TLS_KEY_FILE
    ? { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE) }
    : null;
const app = buildGateway(
  { db, clock: systemClock, logger, authenticator, providers },
  {
    bodyLimit: env.BODY_LIMIT_BYTES,
    tls,
    https: { trustProxy: env.TRUST_PROXY, allowPlainHttp: env.ALLOW_PLAIN_HTTP },
  },
);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down");
  await app.close();
  await revocations.close();
  await providers.close();
  await db.$disconnect();
  await database?.release();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

await app.listen({ port: env.GATEWAY_PORT, host: env.GATEWAY_HOST });
