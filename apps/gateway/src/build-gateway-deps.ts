import { readFileSync } from "node:fs";
import {
  type AccessTokenAuthenticator,
  type AccessTokenSettings,
  type ApiKeyAuthenticator,
  type AuthorizationServer,
  alwaysAvailableHealth,
  announceBreakerOpened,
  type BruteForceRules,
  type ChatLogWriter,
  type Clock,
  checkMasterKeys,
  createAccessTokenAuthenticator,
  createApiKeyAuthenticator,
  createBearerAuthenticator,
  createChatLogWriter,
  createDeploymentRouter,
  createFileStorageFromEnv,
  createLastUsedRecorder,
  createLocalProvider,
  createMasterKeyHealth,
  createOrganizationChangeFeed,
  createOrganizationSnapshotCache,
  createPostgresNotifications,
  createProviderRegistry,
  createRevocationBus,
  createSigningKeyRing,
  createTextWorkPool,
  type DeploymentHealth,
  type FileStorage,
  followCachePurges,
  type LastUsedRecorder,
  loadApiKeyPepper,
  loadMasterKeyring,
  loadSigningKeySecret,
  type OrganizationChangeFeed,
  type ProviderRegistry,
  type ProviderResolver,
  type RateLimiter,
  type RevocationBus,
  systemClock,
  type TextWork,
  type TextWorkPoolOptions,
} from "@dsc/core";
import { connectionStringOf, createDatabaseClient, type Database, ensureDatabase } from "@dsc/db";
import type { Logger } from "pino";
import { chatBodyLimitFor } from "./body-limits.ts";
import type { GatewayOptions } from "./build-gateway.ts";
import { createInFlightChats, type InFlightChats } from "./chat/in-flight-chats.ts";
import type { GatewayEnv } from "./env.ts";
import type { GatewayDeps } from "./gateway-deps.ts";
import { createMetering, type MeteringOptions } from "./limits/metering.ts";
import { createGatewayLogger } from "./logging/gateway-logger.ts";
import { createMetricsRecorder } from "./metrics/metrics-recorder.ts";
import { buildDeploymentHealth } from "./models/build-deployment-health.ts";
import { createDraining } from "./shutdown/draining.ts";

/**
 * What a caller builds instead of the environment's own: test doubles and pre-built pieces.
 * Whatever is passed in stays the caller's to close; `close()` shuts down only what it built.
 */
export interface GatewayDepsOverrides {
  /** where lines go (default: pino on stdout at LOG_LEVEL, credentials redacted) */
  logger?: Logger;
  clock?: Clock;
  /** an open client (default: one on DATABASE_URL, or on the embedded database without it) */
  db?: Database;
  /** default: Redis pub/sub with REDIS_URL, else PostgreSQL LISTEN/NOTIFY */
  revocations?: RevocationBus;
  /** default: the built-in model, UPSTREAM_BASE_URL and the upstreams model rows name */
  providers?: ProviderResolver;
  /** the deployments' breakers and cool-downs (default: built from the DEPLOYMENT_BREAKER_* settings) */
  deploymentHealth?: DeploymentHealth;
  /** the weighted choice among deployments, in [0, 1) (default Math.random; tests seed it) */
  routingRandom?: () => number;
  /** default: S3 with S3_BUCKET, else DATA_DIR/files */
  fileStorage?: FileStorage;
  textWork?: TextWork;
  chatLogs?: ChatLogWriter;
  /** the chat completions in flight (default: a registry of this process's own) */
  chats?: InFlightChats;
  /** the token endpoint's failed-authentication limiter (default: the rate limiter) and rules */
  oauth?: { limiter?: RateLimiter; bruteForce?: BruteForceRules };
  /** metering settings that no variable sets */
  metering?: Pick<MeteringOptions, "redisPrefix" | "usageInsert" | "redisRetryIntervalMs">;
  /** the pool's threads and inline threshold (default: the cores but one, at most 4) */
  textWorkPool?: TextWorkPoolOptions;
  /** how often last_used_at is written (default 5 s) */
  lastUsedFlushMs?: number;
  /** how often logged turns are written (default: the writer's) */
  chatLogFlushMs?: number;
}

export interface BuiltGatewayDeps {
  deps: GatewayDeps & { oauth: AuthorizationServer; fileStorage: FileStorage };
  /** body limits, deadlines, TLS, trusted proxies and the metrics token, as the environment says */
  options: GatewayOptions;
  /** the parts the bag holds only inside others (tests look at them) */
  apiKeys: ApiKeyAuthenticator;
  accessTokens: AccessTokenAuthenticator;
  lastUsed: LastUsedRecorder;
  organizationChanges: OrganizationChangeFeed;
  /**
   * Writes what the batched writers hold and shuts everything built here down, in order; call
   * it once the app has closed, so that no request is left to meter.
   */
  close(): Promise<void>;
}

/** Every dependency of the gateway, built from its validated environment (server.ts and tests alike). */
export async function buildGatewayDeps(
  env: GatewayEnv,
  overrides: GatewayDepsOverrides = {},
): Promise<BuiltGatewayDeps> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createGatewayLogger(env.LOG_LEVEL);
  const isProduction = env.NODE_ENV === "production";
  // With DATABASE_URL the schema is migrated by `dsc-admin migrate` (one step per deploy,
  // not per instance); without it the embedded database is joined, or started for this process.
  const database =
    env.DATABASE_URL || overrides.db
      ? null
      : await ensureDatabase({ dataDir: env.DATA_DIR, log: (message) => logger.info(message) });
  const databaseUrl =
    env.DATABASE_URL ?? (overrides.db ? connectionStringOf(overrides.db) : (database?.url as string));
  const db = overrides.db ?? createDatabaseClient(databaseUrl);
  const pepper = await loadApiKeyPepper({
    configured: env.API_KEY_PEPPER,
    dataDir: env.DATA_DIR,
    isProduction,
  });
  // one LISTEN connection for organization changes, cache purges and (without Redis) revocations
  const notifications = createPostgresNotifications(databaseUrl, (error) =>
    logger.warn({ err: error }, "notification channel error"),
  );
  const revocations =
    overrides.revocations ??
    createRevocationBus({ redisUrl: env.REDIS_URL, notifications }, (error) =>
      logger.warn({ err: error }, "revocation channel error"),
    );
  // limits, models and data settings per organization, in memory; the database's change
  // triggers drop a snapshot (over LISTEN, whatever REDIS_URL says) as soon as it is stale
  const organizationChanges = await createOrganizationChangeFeed(notifications);
  const organizations = createOrganizationSnapshotCache(
    { db, clock },
    { ttlMs: env.ORGANIZATION_CACHE_TTL_MS },
  );
  organizations.follow(organizationChanges);
  const apiKeys = await createApiKeyAuthenticator({
    db,
    clock,
    pepper,
    revocations,
    cacheTtlMs: env.KEY_CACHE_TTL_MS,
  });
  const lastUsed = createLastUsedRecorder({
    db,
    clock,
    flushIntervalMs: overrides.lastUsedFlushMs,
    onError: (error: unknown) => logger.warn({ err: error }, "could not write last_used_at"),
  });
  const signingKeys = createSigningKeyRing({
    db,
    clock,
    signingSecret: await loadSigningKeySecret({
      configured: env.SIGNING_KEY_SECRET,
      dataDir: env.DATA_DIR,
      isProduction,
    }),
  });
  const issuer = env.OAUTH_ISSUER ?? `http://localhost:${env.GATEWAY_PORT}`;
  const accessTokenSettings: AccessTokenSettings = {
    issuer,
    // the lookbehind reads a run of trailing slashes once, not once per character of it
    audience: env.OAUTH_AUDIENCE ?? `${issuer.replace(/(?<!\/)\/+$/, "")}/v1`,
    lifetimeMs: env.OAUTH_TOKEN_TTL_MS,
  };
  const accessTokens = await createAccessTokenAuthenticator({
    db,
    clock,
    keys: signingKeys,
    tokens: accessTokenSettings,
    revocations,
    cacheTtlMs: env.KEY_CACHE_TTL_MS,
  });
  const authenticator = createBearerAuthenticator({ apiKeys, accessTokens, lastUsed });
  // large prompts are counted, masked and sealed in worker threads, off the event loop
  const textWork = overrides.textWork ?? createTextWorkPool(overrides.textWorkPool);
  // a registry built here is closed here; a resolver passed in is the caller's
  let providers: ProviderResolver;
  let registry: ProviderRegistry | null = null;
  if (overrides.providers) {
    providers = overrides.providers;
  } else {
    registry = providerRegistryOf(env, textWork);
    providers = registry;
    logger.info(
      { upstream: env.UPSTREAM_BASE_URL ? new URL(env.UPSTREAM_BASE_URL).origin : "built-in local model" },
      "model provider",
    );
  }

  // the deployments' breakers; one passed in is the caller's
  const ownDeploymentHealth = overrides.deploymentHealth
    ? null
    : await buildDeploymentHealth(env, {
        db,
        clock,
        logger,
        changes: organizationChanges,
        // the platform's webhook endpoints hear a breaker open (written to the outbox, off the request path)
        onStateChange(change) {
          if (change.state !== "open") return;
          announceBreakerOpened({ db, clock }, change).catch((error: unknown) =>
            logger.warn({ err: error }, "could not enqueue the deployment.breaker_opened webhook"),
          );
        },
        // beside the limits' keys: test gateways that share a Redis keep their breakers apart
        ...(overrides.metering?.redisPrefix && {
          redisPrefix: `${overrides.metering.redisPrefix}deployment-health:`,
        }),
      });
  const deploymentHealth = overrides.deploymentHealth ?? ownDeploymentHealth?.health ?? alwaysAvailableHealth;
  // the router makes the attempts (failover), so each provider makes one
  const router = createDeploymentRouter({
    providers,
    health: deploymentHealth,
    clock,
    maxAttempts: env.UPSTREAM_MAX_ATTEMPTS,
    failoverWindowMs: env.UPSTREAM_FAILOVER_WINDOW_MS,
    ...(overrides.routingRandom && { random: overrides.routingRandom }),
  });

  const fileStorage = overrides.fileStorage ?? createFileStorageFromEnv(env, env.DATA_DIR);
  logger.info({ fileStorage: fileStorage.kind }, "file storage");

  // one registry per gateway, never prom-client's global one: a process may build several
  const metrics = createMetricsRecorder();
  const metering = await createMetering({
    db,
    clock,
    logger,
    redisUrl: env.REDIS_URL ?? null,
    responseCacheTtlMs: env.RESPONSE_CACHE_TTL_SECONDS * 1_000,
    defaultMaxTokens: env.DEFAULT_MAX_TOKENS_ESTIMATE,
    usageFlushIntervalMs: env.USAGE_FLUSH_INTERVAL_MS,
    usageBatchSize: env.USAGE_BATCH_SIZE,
    observeUsageFlush: metrics.observeUsageFlush,
    ...overrides.metering,
  });
  logger.info({ store: metering.store }, "rate limits and response cache");
  // an erasure purges a Redis cache itself; a cache in this process's memory hears of it here
  if (metering.cache?.kind === "memory") {
    await followCachePurges(notifications, metering.cache, (error) =>
      logger.warn({ err: error }, "cache purge failed"),
    );
  }
  const oauth: AuthorizationServer = {
    keys: signingKeys,
    tokens: accessTokenSettings,
    pepper,
    // failed client authentications count in the shared limiter (Redis when configured)
    limiter: overrides.oauth?.limiter ?? metering.limiter,
    bruteForce: overrides.oauth?.bruteForce,
    lastUsed,
  };

  const keyring = await loadMasterKeyring({
    configured: env.ENCRYPTION_KEY,
    dataDir: env.DATA_DIR,
    isProduction,
  });
  // a replaced or lost ENCRYPTION_KEY makes the gateway unready rather than drop every log
  const masterKeys = createMasterKeyHealth(await checkMasterKeys({ db, clock, keyring }));
  if (masterKeys.failures().length > 0) logger.error(`not ready: ${masterKeys.describe()}`);
  const chatLogs =
    overrides.chatLogs ??
    createChatLogWriter(
      {
        db,
        clock,
        keyring,
        textWork,
        onError: (error: unknown) => {
          masterKeys.recordSealFailure(error);
          logger.error({ err: error }, "chat logs could not be written");
        },
        onDropped: (count: number, error: unknown) =>
          logger.error({ err: error, count }, "chat logs dropped: the database did not take them in time"),
        // expected, not a fault: the turns' subject is being erased; only the count, never whose
        onDroppedForErasure: (count: number) =>
          logger.info({ count }, "chat logs dropped: their subject's erasure has started"),
        observeBatch: metrics.observeChatLogFlush,
      },
      { flushIntervalMs: overrides.chatLogFlushMs },
    );
  const options = await gatewayOptionsOf(env, db);

  return {
    deps: {
      db,
      clock,
      logger,
      organizations,
      authenticator,
      providers,
      router,
      deploymentHealth,
      metering,
      metrics,
      oauth,
      fileStorage,
      keyring,
      masterKeys,
      chatLogs,
      textWork,
      draining: createDraining(),
      chats: overrides.chats ?? createInFlightChats(),
    },
    options,
    apiKeys,
    accessTokens,
    lastUsed,
    organizationChanges,
    async close() {
      // settle the reservations of the requests that ran and write every usage event
      await metering.close();
      await lastUsed.close();
      if (!overrides.chatLogs) await chatLogs.close();
      if (!overrides.textWork) await textWork.close();
      if (!overrides.revocations) await revocations.close();
      await ownDeploymentHealth?.close();
      await notifications.close();
      await registry?.close();
      if (!overrides.fileStorage) await fileStorage.close();
      if (!overrides.db) await db.$disconnect();
      await database?.release();
    },
  };
}

/** The built-in model, UPSTREAM_BASE_URL for models without a base URL, and the upstreams rows name. */
function providerRegistryOf(env: GatewayEnv, textWork: TextWork): ProviderRegistry {
  return createProviderRegistry({
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
    // attempts, on this upstream or another deployment, are the router's (UPSTREAM_MAX_ATTEMPTS)
    retries: { attempts: 1 },
  });
}

/** What buildGateway takes besides the deps: body limits, deadlines, TLS, proxies, the metrics token. */
async function gatewayOptionsOf(env: GatewayEnv, db: Database): Promise<GatewayOptions> {
  // the chat body limit follows the largest context window among the models, read once here
  const largestModel = await db.model.aggregate({ _max: { contextWindow: true } });
  return {
    bodyLimit: env.BODY_LIMIT_BYTES,
    chatBodyLimit:
      env.CHAT_BODY_LIMIT_BYTES ??
      chatBodyLimitFor(largestModel._max.contextWindow ?? 8_192, env.BODY_LIMIT_BYTES),
    timeouts: {
      requestMs: env.REQUEST_TIMEOUT_MS,
      headersMs: env.HEADERS_TIMEOUT_MS,
      keepAliveMs: env.KEEP_ALIVE_TIMEOUT_MS,
      connectionMs: env.CONNECTION_TIMEOUT_MS,
    },
    tls:
      env.TLS_CERT_FILE && env.TLS_KEY_FILE
        ? { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE) }
        : null,
    https: { trustProxy: env.TRUST_PROXY, allowPlainHttp: env.ALLOW_PLAIN_HTTP },
    metricsToken: env.METRICS_TOKEN ?? null,
  };
}
