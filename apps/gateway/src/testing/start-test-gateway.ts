import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { ApiError } from "@dsc/api-client";
import {
  type BruteForceRules,
  type ChatLogWriter,
  type Clock,
  cliActor,
  createApiKey,
  createOAuthClient,
  createOrganization,
  type DeploymentHealth,
  type FileStorage,
  type ProviderResolver,
  parseMasterKeyring,
  type RateLimiter,
  type RevocationBus,
  systemClock,
  type TextWork,
} from "@dsc/core";
import { connectionStringOf, type Database } from "@dsc/db";
import { pino } from "pino";
import { buildGateway, type GatewayOptions } from "../build-gateway.ts";
import { buildGatewayDeps } from "../build-gateway-deps.ts";
import type { InFlightChats } from "../chat/in-flight-chats.ts";
import { parseGatewayEnv } from "../env.ts";
import type { MeteringOptions } from "../limits/metering.ts";

/** ENCRYPTION_KEY of the test gateways: the master key of their encrypted logs */
export const TEST_ENCRYPTION_KEY = `1:${Buffer.alloc(32, 42).toString("base64")}`;
/** master keys of the test gateways' encrypted logs */
export const TEST_KEYRING = parseMasterKeyring(TEST_ENCRYPTION_KEY);

export const TEST_PEPPER = "gateway-test-pepper-0123456789abcdef";

export interface TestGatewayOptions {
  db: Database;
  /** how often logged turns are written (default 50 ms, so tests see them quickly) */
  chatLogFlushMs?: number;
  clock?: Clock;
  /** default: the production registry (the built-in model, and the upstreams model rows name) */
  providers?: ProviderResolver;
  /** the deployments' breakers (default: none, every deployment always available) */
  deploymentHealth?: DeploymentHealth;
  /** the router's weighted choice, in [0, 1) (default Math.random) */
  routingRandom?: () => number;
  /** default: the production bus (Redis with `metering.redisUrl`, else PostgreSQL) */
  revocations?: RevocationBus;
  /** KEY_CACHE_TTL_MS */
  cacheTtlMs?: number;
  gateway?: GatewayOptions;
  /**
   * the OAuth token endpoint's failed-authentication limiter (default: the rate limiter),
   * rules, and token lifetime (OAUTH_TOKEN_TTL_MS: 1 minute to 1 hour)
   */
  oauth?: { limiter?: RateLimiter; bruteForce?: BruteForceRules; tokenLifetimeMs?: number };
  /** how often last_used_at is written (default 5 s) */
  lastUsedFlushMs?: number;
  /** where uploaded files go (default: DATA_DIR/files in a temporary directory of this gateway's, removed on close) */
  fileStorage?: FileStorage;
  /** limits, cache and usage settings (default: in memory, cache on, usage flushed every second) */
  metering?: Omit<MeteringOptions, "db" | "clock" | "logger">;
  /** counting and masking of large texts (default: a pool of one thread started on demand, closed with the gateway) */
  textWork?: TextWork;
  /** the conversation-log writer (default: a real one on this database, flushed every 50 ms) */
  chatLogs?: ChatLogWriter;
  /** the chat completions in flight (default: the gateway's own registry) */
  chats?: InFlightChats;
  /** other variables of the environment (e.g. small upstream timeouts), as server.ts would read them */
  env?: Record<string, string | number>;
}

export const TEST_SIGNING_SECRET = "gateway-test-signing-secret-0123456789";
/** the test gateways' METRICS_TOKEN (GET /metrics needs it) */
export const TEST_METRICS_TOKEN = "gateway-test-metrics-token-0123456789";
export const TEST_ISSUER = "https://gateway.test";

/**
 * The environment a test gateway runs with: what server.ts reads from process.env, from the
 * options that have a variable. Everything else is the production default.
 */
function testEnvOf(options: TestGatewayOptions, dataDir: string) {
  const metering = options.metering ?? {};
  const variables: Record<string, string | number | undefined> = {
    NODE_ENV: "test",
    DATABASE_URL: connectionStringOf(options.db),
    DATA_DIR: dataDir,
    GATEWAY_HOST: "127.0.0.1",
    GATEWAY_PORT: 0,
    API_KEY_PEPPER: TEST_PEPPER,
    SIGNING_KEY_SECRET: TEST_SIGNING_SECRET,
    ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    OAUTH_ISSUER: TEST_ISSUER,
    OAUTH_TOKEN_TTL_MS: options.oauth?.tokenLifetimeMs,
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    KEY_CACHE_TTL_MS: options.cacheTtlMs,
    REDIS_URL: metering.redisUrl ?? undefined,
    RESPONSE_CACHE_TTL_SECONDS:
      metering.responseCacheTtlMs === undefined ? undefined : Math.ceil(metering.responseCacheTtlMs / 1_000),
    DEFAULT_MAX_TOKENS_ESTIMATE: metering.defaultMaxTokens,
    USAGE_FLUSH_INTERVAL_MS: metering.usageFlushIntervalMs,
    USAGE_BATCH_SIZE: metering.usageBatchSize,
    ...options.env,
  };
  const source = Object.fromEntries(
    Object.entries(variables)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, String(value)]),
  );
  return parseGatewayEnv(source);
}

/**
 * A real gateway on a loopback port, with its log lines captured for assertions. Its
 * dependencies are server.ts's own (buildGatewayDeps on a test environment); the options
 * replace only what a test needs to.
 */
export async function startTestGateway(options: TestGatewayOptions) {
  const clock = options.clock ?? systemClock;
  const logLines: string[] = [];
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk, _encoding, done) {
        logLines.push(String(chunk));
        done();
      },
    }),
  );
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-gateway-"));
  const { redisPrefix, usageInsert, redisRetryIntervalMs } = options.metering ?? {};
  const built = await buildGatewayDeps(testEnvOf(options, dataDir), {
    logger,
    clock,
    db: options.db,
    revocations: options.revocations,
    providers: options.providers,
    deploymentHealth: options.deploymentHealth,
    routingRandom: options.routingRandom,
    fileStorage: options.fileStorage,
    textWork: options.textWork,
    chatLogs: options.chatLogs,
    chats: options.chats,
    oauth: options.oauth && { limiter: options.oauth.limiter, bruteForce: options.oauth.bruteForce },
    metering: { redisPrefix, usageInsert, redisRetryIntervalMs },
    textWorkPool: { maxThreads: 1, idleThreads: 0 },
    lastUsedFlushMs: options.lastUsedFlushMs,
    chatLogFlushMs: options.chatLogFlushMs ?? 50,
  });
  const { deps } = built;
  const app = buildGateway(deps, {
    ...built.options,
    forceCloseConnections: true,
    checkResponsesAgainstContract: true,
    ...options.gateway,
    timeouts: { ...built.options.timeouts, ...options.gateway?.timeouts },
    https: { ...built.options.https, ...options.gateway?.https },
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("gateway has no address");
  return {
    app,
    chatLogs: deps.chatLogs,
    url: `http://127.0.0.1:${address.port}`,
    /** GET /metrics as the operator's scraper calls it, with the metrics token */
    scrapeMetrics: () =>
      fetch(`http://127.0.0.1:${address.port}/metrics`, {
        headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
      }),
    logLines,
    authenticator: built.apiKeys,
    accessTokens: built.accessTokens,
    oauth: deps.oauth,
    lastUsed: built.lastUsed,
    fileStorage: deps.fileStorage,
    metering: deps.metering,
    textWork: deps.textWork,
    organizations: deps.organizations,
    providers: deps.providers,
    /** the deployments' breakers the router consults (built from the environment unless passed in) */
    deploymentHealth: deps.deploymentHealth,
    /** what a shutdown sets first (shutdown/draining.ts) */
    draining: deps.draining,
    /**
     * Waits until this gateway has heard of every organization, tier, key-limit and model
     * change committed so far (a test that changes them in SQL calls it before its next request).
     */
    organizationChangesApplied: () => built.organizationChanges.sync(),
    close: async () => {
      await app.close();
      await built.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh organization with one OAuth client; returns the client's secret. */
export async function createOrgWithOAuthClient(
  db: Database,
  options: { scopes?: string[]; expiresInMs?: number; clock?: Clock } = {},
) {
  const deps = { db, clock: options.clock ?? systemClock, pepper: TEST_PEPPER };
  const org = await createTestOrganization(deps, "free");
  const { client, secret } = await createOAuthClient(deps, {
    organizationId: org.id,
    scopes: options.scopes,
    // tests that ask for users:delete or users:export mean it
    allowPowerfulScopes: true,
    expiresInMs: options.expiresInMs,
    actor: cliActor("test"),
  });
  return { org, client, secret };
}

/** An access token from the gateway's token endpoint (client_secret_post). */
export async function requestAccessToken(
  gatewayUrl: string,
  client: { clientId: string; secret: string; scope?: string },
): Promise<string> {
  const response = await fetch(`${gatewayUrl}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.secret,
      ...(client.scope === undefined ? {} : { scope: client.scope }),
    }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new Error(`token endpoint answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

/** A fresh organization on a tier with one key; returns the secret. */
export async function createOrgWithKey(
  db: Database,
  options: { tier?: string; scopes?: string[]; expiresInMs?: number; clock?: Clock } = {},
) {
  const deps = { db, clock: options.clock ?? systemClock, pepper: TEST_PEPPER };
  const org = await createTestOrganization(deps, options.tier ?? "free");
  const { key, secret } = await createApiKey(deps, {
    organizationId: org.id,
    scopes: options.scopes,
    // tests that ask for users:delete or users:export mean it
    allowPowerfulScopes: true,
    expiresInMs: options.expiresInMs,
    actor: cliActor("test"),
  });
  return { org, key, secret };
}

/** The parsed JSON body of a response, typed for assertions. */
export async function jsonOf<T = Record<string, unknown> & { error: ApiError }>(
  response: Response,
): Promise<T> {
  return (await response.json()) as T;
}

/** An organization with a name of its own, so that tests sharing a database never collide. */
function createTestOrganization(deps: { db: Database; clock: Clock }, tier: string) {
  return createOrganization(deps, {
    name: `Test ${Math.random().toString(36).slice(2, 8)}`,
    tier,
    actor: cliActor("test"),
  });
}
