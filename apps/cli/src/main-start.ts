import { createRequire } from "node:module";
import path from "node:path";
import { type BootstrapResult, bootstrapPlatform, loadApiKeyPepper, systemClock } from "@dsc/core";
import { createDatabaseClient, type DatabaseHandle, ensureDatabase, schemaPaths } from "@dsc/db";
import { EnvError, parseCliEnv } from "./env.ts";
import { bestEffortLines } from "./start/best-effort-output.ts";
import { loadMetricsToken, platformServices } from "./start/platform-services.ts";
import { type RunningService, startService, stopServices, waitUntilReady } from "./start/supervise.ts";

/**
 * `npm start`: the whole platform on one machine. Ensures the database (embedded unless
 * DATABASE_URL is set), bootstraps the first admin and demo key, then runs gateway, worker
 * and dashboard as child processes until Ctrl-C or SIGTERM, and stops them all cleanly.
 */
const print = bestEffortLines(process.stdout);
const printError = bestEffortLines(process.stderr);
const log = (message: string) => print(`[platform]  ${message}`);

let env: ReturnType<typeof parseCliEnv>;
try {
  env = parseCliEnv(process.env);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  printError(`npm start: ${error.message}`);
  process.exit(2);
}

/**
 * Ctrl-C in a terminal signals the whole foreground group: npm and this supervisor (the
 * services and PostgreSQL run in groups of their own), and npm forwards it here once more. So
 * the stop must survive repeated signals (`on`, not `once`: a second SIGINT without a handler
 * would kill the supervisor before it stopped PostgreSQL) and be installed before the database
 * starts. SIGHUP (the terminal closed) stops the same way.
 */
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
for (const signal of STOP_SIGNALS) process.on(signal, () => void stopAll(0, signal));

const services: RunningService[] = [];
let stopping = false;
const databaseReady = ensureDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, log });

// the first-run bootstrap, which a stop lets finish before it stops the database under it
let bootstrapping: Promise<unknown> = Promise.resolve();

/** Stops the services, then the database (once it has started), then exits. */
async function stopAll(exitCode: number, reason: string) {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping`);
  await stopServices(services);
  const started = await databaseReady.catch(() => null);
  await bootstrapping.catch(() => {});
  await started?.release();
  log("stopped");
  process.exit(exitCode);
}

// the parent-watch preload of every service (watch-parent.ts, built beside this file)
const watchParent = new URL("./watch-parent.js", import.meta.url).href;
// the dashboard believes X-Forwarded-* only from the proxies in TRUST_PROXY
const forwardedHeaders = new URL("./forwarded-headers.js", import.meta.url).href;

let database: DatabaseHandle;
try {
  database = await databaseReady;
  // a stop requested meanwhile is under way in stopAll, which exits: start nothing more
  if (!stopping) {
    const bootstrap = bootstrapFirstRun();
    bootstrapping = bootstrap;
    const result = await bootstrap;
    if (!stopping) await startServices(result);
  }
} catch (error) {
  // services that end because a stop is under way are no start-up failure
  if (!stopping) printError(`npm start: ${(error as Error).message}`);
  await stopAll(1, "start-up failed");
}

async function startServices(bootstrap: BootstrapResult) {
  const root = schemaPaths().root;
  const metricsToken = await loadMetricsToken({ configured: env.METRICS_TOKEN, dataDir: env.DATA_DIR });
  const specs = platformServices({
    env,
    inherited: process.env,
    root,
    databaseUrl: database.url,
    metricsToken,
    execPath: process.execPath,
    watchParent,
    forwardedHeaders,
    nextBin: nextBin(root),
  });
  for (const spec of specs) {
    const service = startService(spec, print);
    services.push(service);
    void service.exited.then((code) => {
      if (!stopping) void stopAll(1, `${spec.name} exited unexpectedly (code ${code})`);
    });
  }
  await Promise.all(services.map((service) => waitUntilReady(service)));
  printBanner(bootstrap);
}

async function bootstrapFirstRun(): Promise<BootstrapResult> {
  const pepper = await loadApiKeyPepper({
    configured: env.API_KEY_PEPPER,
    dataDir: env.DATA_DIR,
    isProduction: env.NODE_ENV === "production",
  });
  const db = createDatabaseClient(database.url, { maxConnections: 2 });
  try {
    return await bootstrapPlatform(
      { db, clock: systemClock, pepper },
      { adminEmail: env.ADMIN_EMAIL, adminPassword: env.ADMIN_PASSWORD, withDemo: true },
    );
  } finally {
    await db.$disconnect();
  }
}

function nextBin(root: string): string {
  return createRequire(path.join(root, "apps/dashboard/package.json")).resolve("next/dist/bin/next");
}

function printBanner(bootstrap: BootstrapResult) {
  const lines = [
    "",
    "Deep Seek Chat API platform is running",
    `  API (OpenAI-compatible)  http://localhost:${env.GATEWAY_PORT}/v1`,
    `  Dashboard                http://localhost:${env.WEB_PORT}`,
    `  Runtime                  Node.js ${process.version} (the apps run on the same)`,
    `  Database                 ${database.embedded ? `embedded PostgreSQL on 127.0.0.1:${database.embedded.port} (data in ${env.DATA_DIR})` : "DATABASE_URL"}`,
    `  Admin login              ${env.ADMIN_EMAIL}`,
  ];
  if (bootstrap.admin?.generatedPassword) {
    lines.push(
      `  Admin password           ${bootstrap.admin.generatedPassword}   (generated; shown only now)`,
    );
  } else if (!bootstrap.firstRun) {
    lines.push("  Admin password           as set at first start");
  }
  if (bootstrap.demo) {
    lines.push(
      `  Demo organization        ${bootstrap.demo.organizationId} (tier free)`,
      `  Demo API key             ${bootstrap.demo.apiKey.secret}   (shown only now)`,
    );
  }
  lines.push("", "Manage it with: npx dsc-admin help        Stop with Ctrl-C", "");
  for (const line of lines) print(line);
}
