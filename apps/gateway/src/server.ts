import { readFileSync } from "node:fs";
import {
  type AccessTokenSettings,
  type AuthorizationServer,
  createAccessTokenAuthenticator,
  createApiKeyAuthenticator,
  createBearerAuthenticator,
  createChatLogWriter,
  createFileStorageFromEnv,
  createLastUsedRecorder,
  createLocalProvider,
  createOrganizationChangeFeed,
  createPostgresNotifications,
  createProviderRegistry,
  createRevocationBus,
  createSigningKeyRing,
  createTextWorkPool,
  followCachePurges,
  loadApiKeyPepper,
  loadMasterKeyring,
  loadSigningKeySecret,
  MemoryResponseCache,
  OrganizationSnapshotCache,
  systemClock,
} from "@dsc/core";
import { createDatabaseClient, ensureDatabase } from "@dsc/db";
import { pino } from "pino";
import { chatBodyLimitFor } from "./body-limits.ts";
import { buildGateway } from "./build-gateway.ts";
import { parseGatewayEnv } from "./env.ts";
import { createMetering } from "./limits/metering.ts";

let env: ReturnType<typeof parseGatewayEnv>;
try {
  env = parseGatewayEnv(process.env);
} catch (error) {
  process.stderr.write(`gateway: ${(error as Error).message}\n`);
  process.exit(2);
}

const logger = pino(
  {
    level: env.LOG_LEVEL,
    base: { service: "gateway" },
    // belt and braces: nothing logs headers today, and if something does, credentials stay out
    redact: {
      paths: ["req.headers.authorization", "headers.authorization", "*.apiKey", "*.secret"],
      censor: "[redacted]",
    },
  },
  // Asynchronous: a request's log line is handed to a background write (lines that arrive
  // meanwhile go out with it) instead of a write system call on the event loop per request.
  // pino flushes what is pending synchronously when the process exits.
  pino.destination({ dest: 1, sync: false }),
);
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
// one LISTEN connection for organization changes, cache purges and (without Redis) revocations
const notifications = createPostgresNotifications(databaseUrl, (error) =>
  logger.warn({ err: error }, "notification channel error"),
);
const revocations = createRevocationBus({ redisUrl: env.REDIS_URL, notifications }, (error) =>
  logger.warn({ err: error }, "revocation channel error"),
);
// limits, models and data settings per organization, in memory; the database's change
// triggers drop a snapshot (over LISTEN, whatever REDIS_URL says) as soon as it is stale
const organizationChanges = await createOrganizationChangeFeed(notifications);
const organizations = new OrganizationSnapshotCache(
  { db, clock: systemClock },
  { ttlMs: env.ORGANIZATION_CACHE_TTL_MS },
);
organizations.follow(organizationChanges);
const authenticator = await createApiKeyAuthenticator({
  db,
  clock: systemClock,
  pepper,
  revocations,
  cacheTtlMs: env.KEY_CACHE_TTL_MS,
});
const lastUsed = createLastUsedRecorder({
  db,
  clock: systemClock,
  onError: (error: unknown) => logger.warn({ err: error }, "could not write last_used_at"),
});
const signingKeys = createSigningKeyRing({
  db,
  clock: systemClock,
  signingSecret: await loadSigningKeySecret({
    configured: env.SIGNING_KEY_SECRET,
    dataDir: env.DATA_DIR,
    isProduction: env.NODE_ENV === "production",
  }),
});
const issuer = env.OAUTH_ISSUER ?? `http://localhost:${env.GATEWAY_PORT}`;
const accessTokenSettings: AccessTokenSettings = {
  issuer,
  // the lookbehind reads a run of trailing slashes once, not once per character of it
  audience: env.OAUTH_AUDIENCE ?? `${issuer.replace(/(?<!\/)\/+$/, "")}/v1`,
  lifetimeMs: env.OAUTH_TOKEN_TTL_MS,
};
const bearerAuthenticator = createBearerAuthenticator({
  apiKeys: authenticator,
  accessTokens: await createAccessTokenAuthenticator({
    db,
    clock: systemClock,
    keys: signingKeys,
    tokens: accessTokenSettings,
    revocations,
    cacheTtlMs: env.KEY_CACHE_TTL_MS,
  }),
  lastUsed,
});
// large prompts are counted, masked and sealed in worker threads, off the event loop
const textWork = createTextWorkPool();
const providers = createProviderRegistry({
  // the built-in model counts a prompt of megabytes in the pool too
  local: createLocalProvider({
    countPromptTokens: async (messages) =>
      (await textWork.countTokenUsage({ messages, completionTexts: [] })).promptTokens,
  }),
  defaultUpstream: env.UPSTREAM_BASE_URL
    ? {
        baseUrl: env.UPSTREAM_BASE_URL,
        apiKey: env.UPSTREAM_API_KEY ?? null,
        model: env.UPSTREAM_MODEL ?? null,
      }
    : null,
  upstreamKeys: env.UPSTREAM_API_KEYS,
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

const fileStorage = createFileStorageFromEnv(env, env.DATA_DIR);
logger.info({ fileStorage: fileStorage.kind }, "file storage");

const metering = await createMetering({
  db,
  clock: systemClock,
  logger,
  redisUrl: env.REDIS_URL ?? null,
  responseCacheTtlMs: env.RESPONSE_CACHE_TTL_SECONDS * 1_000,
  defaultMaxTokens: env.DEFAULT_MAX_TOKENS_ESTIMATE,
  usageFlushIntervalMs: env.USAGE_FLUSH_INTERVAL_MS,
  usageBatchSize: env.USAGE_BATCH_SIZE,
});
logger.info({ store: metering.store }, "rate limits and response cache");
// an erasure purges a Redis cache itself; a cache in this process's memory hears of it here
if (metering.cache instanceof MemoryResponseCache) {
  await followCachePurges(notifications, metering.cache, (error) =>
    logger.warn({ err: error }, "cache purge failed"),
  );
}
const oauth: AuthorizationServer = {
  keys: signingKeys,
  tokens: accessTokenSettings,
  pepper,
  // failed client authentications count in the shared limiter (Redis when configured)
  limiter: metering.limiter,
  lastUsed,
};

const keyring = await loadMasterKeyring({
  configured: env.ENCRYPTION_KEY,
  dataDir: env.DATA_DIR,
  isProduction: env.NODE_ENV === "production",
});
const chatLogs = createChatLogWriter({
  db,
  clock: systemClock,
  keyring,
  textWork,
  onError: (error: unknown) => logger.error({ err: error }, "chat logs could not be written"),
});
const tls =
  env.TLS_CERT_FILE && env.TLS_KEY_FILE
    ? { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE) }
    : null;
// the chat body limit follows the largest context window among the models, read once here
const largestModel = await db.model.aggregate({ _max: { contextWindow: true } });
const chatBodyLimit =
  env.CHAT_BODY_LIMIT_BYTES ??
  chatBodyLimitFor(largestModel._max.contextWindow ?? 8_192, env.BODY_LIMIT_BYTES);
const app = buildGateway(
  {
    db,
    clock: systemClock,
    logger,
    organizations,
    authenticator: bearerAuthenticator,
    providers,
    metering,
    oauth,
    fileStorage,
    keyring,
    chatLogs,
    textWork,
  },
  {
    bodyLimit: env.BODY_LIMIT_BYTES,
    chatBodyLimit,
    timeouts: {
      requestMs: env.REQUEST_TIMEOUT_MS,
      headersMs: env.HEADERS_TIMEOUT_MS,
      keepAliveMs: env.KEEP_ALIVE_TIMEOUT_MS,
      connectionMs: env.CONNECTION_TIMEOUT_MS,
    },
    tls,
    https: { trustProxy: env.TRUST_PROXY, allowPlainHttp: env.ALLOW_PLAIN_HTTP },
    metricsToken: env.METRICS_TOKEN ?? null,
  },
);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down");
  await app.close();
  // in-flight requests have ended: settle their reservations and write every usage event
  await metering.close();
  await lastUsed.close();
  await chatLogs.close();
  await textWork.close();
  await revocations.close();
  await notifications.close();
  await providers.close();
  await fileStorage.close();
  await db.$disconnect();
  await database?.release();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

await app.listen({ port: env.GATEWAY_PORT, host: env.GATEWAY_HOST });
