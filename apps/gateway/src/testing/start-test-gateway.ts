import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { ApiError } from "@dsc/api-client";
import {
  type AuthorizationServer,
  type BruteForceRules,
  type ChatLogWriter,
  type Clock,
  cliActor,
  createAccessTokenAuthenticator,
  createApiKey,
  createApiKeyAuthenticator,
  createBearerAuthenticator,
  createChatLogWriter,
  createDiskFileStorage,
  createLastUsedRecorder,
  createLocalProvider,
  createOAuthClient,
  createOrganization,
  createOrganizationChangeFeed,
  createPostgresNotifications,
  createSigningKeyRing,
  createTextWorkPool,
  type FileStorage,
  followCachePurges,
  MemoryRateLimiter,
  MemoryResponseCache,
  OrganizationSnapshotCache,
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
import { createMetering, type MeteringOptions } from "../limits/metering.ts";

/** master keys of the test gateways' encrypted logs */
export const TEST_KEYRING = parseMasterKeyring(`1:${Buffer.alloc(32, 42).toString("base64")}`);

export const TEST_PEPPER = "gateway-test-pepper-0123456789abcdef";

export interface TestGatewayOptions {
  db: Database;
  /** how often logged turns are written (default 50 ms, so tests see them quickly) */
  chatLogFlushMs?: number;
  clock?: Clock;
  providers?: ProviderResolver;
  revocations?: RevocationBus | null;
  cacheTtlMs?: number;
  gateway?: GatewayOptions;
  /** the OAuth token endpoint's failed-authentication limiter (default: in memory) and rules */
  oauth?: { limiter?: RateLimiter; bruteForce?: BruteForceRules; tokenLifetimeMs?: number };
  /** how often last_used_at is written (default 5 s) */
  lastUsedFlushMs?: number;
  /** where uploaded files go (default: a temporary directory of this gateway's, removed on close) */
  fileStorage?: FileStorage;
  /** limits, cache and usage settings (default: in memory, cache on, usage flushed every second) */
  metering?: Omit<MeteringOptions, "db" | "clock" | "logger">;
  /** counting and masking of large texts (default: a pool of one thread started on demand, closed with the gateway) */
  textWork?: TextWork;
  /** the conversation-log writer (default: a real one on this database, flushed every 50 ms) */
  chatLogs?: ChatLogWriter;
}

export const TEST_SIGNING_SECRET = "gateway-test-signing-secret-0123456789";
/** the test gateways' METRICS_TOKEN (GET /metrics needs it) */
export const TEST_METRICS_TOKEN = "gateway-test-metrics-token-0123456789";
export const TEST_ISSUER = "https://gateway.test";

/** A real gateway on a loopback port, with its log lines captured for assertions. */
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
  const notifications = createPostgresNotifications(connectionStringOf(options.db));
  const organizationChanges = await createOrganizationChangeFeed(notifications);
  const organizations = new OrganizationSnapshotCache({ db: options.db, clock });
  organizations.follow(organizationChanges);
  const authenticator = await createApiKeyAuthenticator({
    db: options.db,
    clock,
    pepper: TEST_PEPPER,
    revocations: options.revocations ?? null,
    cacheTtlMs: options.cacheTtlMs,
  });
  const lastUsed = createLastUsedRecorder({
    db: options.db,
    clock,
    flushIntervalMs: options.lastUsedFlushMs,
  });
  const oauth: AuthorizationServer = {
    keys: createSigningKeyRing({ db: options.db, clock, signingSecret: TEST_SIGNING_SECRET }),
    tokens: {
      issuer: TEST_ISSUER,
      audience: `${TEST_ISSUER}/v1`,
      lifetimeMs: options.oauth?.tokenLifetimeMs ?? 3_600_000,
    },
    pepper: TEST_PEPPER,
    limiter: options.oauth?.limiter ?? new MemoryRateLimiter(clock),
    bruteForce: options.oauth?.bruteForce,
    lastUsed,
  };
  const accessTokens = await createAccessTokenAuthenticator({
    db: options.db,
    clock,
    keys: oauth.keys,
    tokens: oauth.tokens,
    revocations: options.revocations ?? null,
    cacheTtlMs: options.cacheTtlMs,
  });
  const bearer = createBearerAuthenticator({ apiKeys: authenticator, accessTokens, lastUsed });
  const local = createLocalProvider();
  const providers: ProviderResolver = options.providers ?? {
    resolve: (model) => ({ provider: local, upstreamModel: model.id }),
  };
  const filesDir = options.fileStorage ? null : await mkdtemp(path.join(os.tmpdir(), "dsc-gateway-files-"));
  const fileStorage = options.fileStorage ?? createDiskFileStorage({ directory: filesDir as string });
  const metering = await createMetering({ db: options.db, clock, logger, ...options.metering });
  if (metering.cache instanceof MemoryResponseCache) await followCachePurges(notifications, metering.cache);
  const textWork = options.textWork ?? createTextWorkPool({ maxThreads: 1, idleThreads: 0 });
  const chatLogs =
    options.chatLogs ??
    createChatLogWriter(
      { db: options.db, clock, keyring: TEST_KEYRING, textWork },
      { flushIntervalMs: options.chatLogFlushMs ?? 50 },
    );
  const app = buildGateway(
    {
      db: options.db,
      clock,
      logger,
      organizations,
      authenticator: bearer,
      providers,
      metering,
      oauth,
      fileStorage,
      keyring: TEST_KEYRING,
      chatLogs,
      textWork,
    },
    { forceCloseConnections: true, metricsToken: TEST_METRICS_TOKEN, ...options.gateway },
  );
  app.addHook("onClose", async () => {
    if (filesDir) await rm(filesDir, { recursive: true, force: true });
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("gateway has no address");
  return {
    app,
    chatLogs,
    url: `http://127.0.0.1:${address.port}`,
    /** GET /metrics as the operator's scraper calls it, with the metrics token */
    scrapeMetrics: () =>
      fetch(`http://127.0.0.1:${address.port}/metrics`, {
        headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
      }),
    logLines,
    authenticator,
    accessTokens,
    oauth,
    lastUsed,
    fileStorage,
    metering,
    textWork,
    organizations,
    /**
     * Waits until this gateway has heard of every organization, tier, key-limit and model
     * change committed so far (a test that changes them in SQL calls it before its next request).
     */
    organizationChangesApplied: () => organizationChanges.sync(),
    close: async () => {
      await app.close();
      await metering.close();
      await lastUsed.close();
      await chatLogs.close();
      if (!options.textWork) await textWork.close();
      await notifications.close();
    },
  };
}

/** A fresh organization with one OAuth client; returns the client's secret. */
export async function createOrgWithOAuthClient(
  db: Database,
  options: { scopes?: string[]; expiresInMs?: number; clock?: Clock } = {},
) {
  const deps = { db, clock: options.clock ?? systemClock, pepper: TEST_PEPPER };
  const org = await createOrganization(deps, {
    name: `Test ${Math.random().toString(36).slice(2, 8)}`,
    tier: "free",
    actor: cliActor("test"),
  });
  const { client, secret } = await createOAuthClient(deps, {
    organizationId: org.id,
    scopes: options.scopes,
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
  const org = await createOrganization(deps, {
    name: `Test ${Math.random().toString(36).slice(2, 8)}`,
    tier: options.tier ?? "free",
    actor: cliActor("test"),
  });
  const { key, secret } = await createApiKey(deps, {
    organizationId: org.id,
    scopes: options.scopes,
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
