import {
  createFileStorageFromEnv,
  createRedisResponseCache,
  loadMasterKeyring,
  systemClock,
  webhookAddressPolicyOf,
} from "@dsc/core";
import { createDatabaseClient, ensureDatabase } from "@dsc/db";
import { Redis } from "ioredis";
import { pino } from "pino";
import { parseWorkerEnv } from "./env.ts";
import { JOBS } from "./jobs/index.ts";
import { type MetricsServer, startMetricsServer } from "./metrics/metrics-server.ts";
import { createWorkerMetrics } from "./metrics/worker-metrics.ts";
import { startWorker } from "./start-worker.ts";

let env: ReturnType<typeof parseWorkerEnv>;
try {
  env = parseWorkerEnv(process.env);
} catch (error) {
  process.stderr.write(`worker: ${(error as Error).message}\n`);
  process.exit(2);
}

const logger = pino({ level: env.LOG_LEVEL, base: { service: "worker" } });
const database = env.DATABASE_URL
  ? null
  : await ensureDatabase({ dataDir: env.DATA_DIR, log: (message) => logger.info(message) });
const databaseUrl = env.DATABASE_URL ?? (database?.url as string);
const db = createDatabaseClient(databaseUrl, { maxConnections: 4 });
const fileStorage = createFileStorageFromEnv(env, env.DATA_DIR);
const keyring = await loadMasterKeyring({
  configured: env.ENCRYPTION_KEY,
  dataDir: env.DATA_DIR,
  isProduction: env.NODE_ENV === "production",
});
// A shared (Redis) cache is purged from here; a gateway's in-memory cache is purged by the
// gateway itself when the erasure's broadcast reaches it (cacheEraser).
const redis = env.REDIS_URL ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 2 }) : null;
const responseCache = redis ? createRedisResponseCache({ redis }) : null;
// only with WORKER_METRICS_PORT (env.ts makes sure a token comes with it)
const metrics =
  env.WORKER_METRICS_PORT !== undefined ? createWorkerMetrics({ db, clock: systemClock, logger }) : null;
let worker: Awaited<ReturnType<typeof startWorker>>;
let metricsServer: MetricsServer | null = null;
try {
  // the port first: a port already taken stops the worker before any job has begun
  if (metrics && env.WORKER_METRICS_PORT !== undefined && env.METRICS_TOKEN) {
    metricsServer = await startMetricsServer({
      metrics,
      token: env.METRICS_TOKEN,
      host: env.WORKER_METRICS_HOST,
      port: env.WORKER_METRICS_PORT,
      logger,
    });
  }
  worker = await startWorker({
    databaseUrl,
    jobs: JOBS,
    metrics,
    db,
    clock: systemClock,
    logger,
    fileStorage,
    keyring,
    responseCache,
    responseCacheTtlMs: env.RESPONSE_CACHE_TTL_SECONDS * 1_000,
    webhooks: { addressPolicy: webhookAddressPolicyOf(env) },
  });
} catch (error) {
  // e.g. an ENCRYPTION_KEY that is not the database's, or a metrics port in use: say which, and stop
  process.stderr.write(`worker: ${(error as Error).message}\n`);
  await metricsServer?.close();
  await fileStorage.close();
  redis?.disconnect();
  await db.$disconnect();
  await database?.release();
  process.exit(2);
}

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down");
  await metricsServer?.close();
  await worker.stop();
  await fileStorage.close();
  redis?.disconnect();
  await db.$disconnect();
  await database?.release();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
