import {
  type AccountThrottle,
  type Clock,
  createAccountThrottle,
  createDeploymentHealthReader,
  createFileStorageFromEnv,
  createGatewayHealthReader,
  createRevocationPublisher,
  createSmtpMailer,
  type DeploymentHealthReader,
  type FileStorage,
  type GatewayHealthReader,
  loadApiKeyPepper,
  loadMasterKeyring,
  type Mailer,
  type MasterKeyring,
  type RevocationBus,
  systemClock,
} from "@dsc/core";
import {
  createDatabaseClient,
  type Database,
  type DatabaseHandle,
  ensureDatabase,
  loadOrCreateSecretFile,
} from "@dsc/db";
import { type DashboardEnv, env } from "../env.ts";
import { createLoginLimiter, LoginThrottle } from "./login-throttle.ts";

/** Everything the dashboard's server side needs, built once per process at first use. */
export interface DashboardServer {
  env: DashboardEnv;
  db: Database;
  clock: Clock;
  pepper: string;
  revocations: RevocationBus;
  nextAuthSecret: string;
  loginThrottle: LoginThrottle;
  /** sign-ups, verification e-mails and reset requests, counted on the sign-ins' limiter */
  accountThrottle: AccountThrottle;
  /** the gateway's readiness and metrics for the overview, fetched at most every few seconds */
  gatewayHealth: GatewayHealthReader;
  /** the gateway's deployment breakers for the models page (GATEWAY_URL only, as the metrics) */
  deploymentHealth: DeploymentHealthReader;
  /** the gateway's file storage, for deleting files' bytes */
  fileStorage: FileStorage;
  /** the master keys that open conversation logs; null in production without ENCRYPTION_KEY */
  keyring: MasterKeyring | null;
  /** sends account e-mails through SMTP_URL; null: links are shown to the person who made them */
  mailer: Mailer | null;
}

let starting: Promise<DashboardServer> | undefined;

export function getDashboardServer(): Promise<DashboardServer> {
  starting ??= startDashboardServer(env).catch((error) => {
    starting = undefined; // let the next request try again (the database may come back)
    throw error;
  });
  return starting;
}

export async function startDashboardServer(env: DashboardEnv): Promise<DashboardServer> {
  // With DATABASE_URL the schema is migrated by `dsc-admin migrate`; without it the embedded
  // database that `npm start` runs is joined, or started for this process (as the gateway does).
  let database: DatabaseHandle | null = null;
  if (!env.DATABASE_URL) {
    database = await ensureDatabase({ dataDir: env.DATA_DIR });
    releaseOnExit(database);
  }
  const databaseUrl = env.DATABASE_URL ?? (database as DatabaseHandle).url;
  const clock = systemClock;
  const [pepper, nextAuthSecret, keyring] = await Promise.all([
    loadApiKeyPepper({
      configured: env.API_KEY_PEPPER,
      dataDir: env.DATA_DIR,
      isProduction: env.isProduction,
    }),
    env.NEXTAUTH_SECRET ?? loadOrCreateSecretFile(env.DATA_DIR, "nextauth-secret"),
    loadDashboardKeyring(env),
  ]);
  // shared by every dashboard instance through Redis when REDIS_URL is set
  const { limiter } = createLoginLimiter(env.REDIS_URL, clock, (cause) =>
    console.error("Redis is unreachable: sign-in attempts are counted per instance:", String(cause)),
  );
  return {
    env,
    db: createDatabaseClient(databaseUrl, { maxConnections: 5 }),
    clock,
    pepper,
    revocations: createRevocationPublisher(
      { redisUrl: env.REDIS_URL, databaseUrl },
      reportRevocationChannelError,
    ),
    nextAuthSecret,
    gatewayHealth: createGatewayHealthReader(
      { clock },
      { baseUrl: env.GATEWAY_URL, metricsToken: env.METRICS_TOKEN },
    ),
    // the token goes only to a GATEWAY_URL someone set, never to the public address by fallback
    deploymentHealth: createDeploymentHealthReader(
      { clock },
      { baseUrl: env.GATEWAY_URL, metricsToken: env.METRICS_TOKEN },
    ),
    fileStorage: createFileStorageFromEnv(env.fileStorage, env.DATA_DIR),
    keyring,
    mailer: env.mail ? createSmtpMailer(env.mail) : null,
    loginThrottle: new LoginThrottle(limiter),
    accountThrottle: createAccountThrottle(limiter),
  };
}

/**
 * The master keys as the gateway and the worker load them: ENCRYPTION_KEY, or outside production
 * the key they generated into DATA_DIR. Only the conversation-log pages need them, so in
 * production without the variable the dashboard starts all the same and those pages say why
 * they cannot open a log.
 */
async function loadDashboardKeyring(env: DashboardEnv): Promise<MasterKeyring | null> {
  if (env.isProduction && !env.ENCRYPTION_KEY) {
    console.error("ENCRYPTION_KEY is not set: the dashboard cannot open conversation logs.");
    return null;
  }
  return loadMasterKeyring({
    configured: env.ENCRYPTION_KEY,
    dataDir: env.DATA_DIR,
    isProduction: env.isProduction,
  });
}

function reportRevocationChannelError(error: unknown) {
  console.error("revocation channel error:", (error as Error).message);
}

function releaseOnExit(database: DatabaseHandle) {
  if (!database.embedded?.ownsServer) return;
  const release = () => void database.release();
  process.once("SIGTERM", release);
  process.once("SIGINT", release);
}
