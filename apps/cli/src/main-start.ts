import { createRequire } from "node:module";
import path from "node:path";
import { type BootstrapResult, bootstrapPlatform, loadApiKeyPepper, systemClock } from "@dsc/core";
import { createDatabaseClient, ensureDatabase, schemaPaths } from "@dsc/db";
import { EnvError, parseCliEnv } from "./env.ts";
import {
  type RunningService,
  type ServiceSpec,
  startService,
  stopServices,
  waitUntilReady,
} from "./start/supervise.ts";

/**
 * `npm start`: the whole platform on one machine. Ensures the database (embedded unless
 * DATABASE_URL is set), bootstraps the first admin and demo key, then runs gateway, worker
 * and dashboard as child processes until Ctrl-C or SIGTERM, and stops them all cleanly.
 */
const print = (line: string) => process.stdout.write(`${line}\n`);
const log = (message: string) => print(`[platform]  ${message}`);

let env: ReturnType<typeof parseCliEnv>;
try {
  env = parseCliEnv(process.env);
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  process.stderr.write(`npm start: ${error.message}\n`);
  process.exit(2);
}

const database = await ensureDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, log });
const services: RunningService[] = [];
let stopping = false;

async function stopAll(exitCode: number, reason: string) {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping`);
  await stopServices(services);
  await database.release();
  log("stopped");
  process.exit(exitCode);
}
process.once("SIGINT", () => void stopAll(0, "SIGINT"));
process.once("SIGTERM", () => void stopAll(0, "SIGTERM"));

try {
  const bootstrap = await bootstrapFirstRun();
  const root = schemaPaths().root;
  const childEnv = { ...process.env, DATABASE_URL: database.url, DATA_DIR: env.DATA_DIR };
  const specs: ServiceSpec[] = [
    {
      name: "gateway",
      command: process.execPath,
      args: [path.join(root, "apps/gateway/dist/server.js")],
      cwd: root,
      env: { ...childEnv, GATEWAY_PORT: String(env.GATEWAY_PORT) },
      readyUrl: `http://127.0.0.1:${env.GATEWAY_PORT}/readyz`,
    },
    {
      name: "worker",
      command: process.execPath,
      args: [path.join(root, "apps/worker/dist/main.js")],
      cwd: root,
      env: childEnv,
    },
    {
      name: "dashboard",
      command: process.execPath,
      args: [nextBin(root), "start", "--port", String(env.WEB_PORT)],
      cwd: path.join(root, "apps/dashboard"),
      env: {
        ...childEnv,
        WEB_PORT: String(env.WEB_PORT),
        GATEWAY_PUBLIC_URL: env.GATEWAY_PUBLIC_URL ?? `http://localhost:${env.GATEWAY_PORT}`,
        // `next start` sets NODE_ENV=production itself; the dashboard judges by this one
        PLATFORM_NODE_ENV: env.NODE_ENV,
        NEXT_TELEMETRY_DISABLED: "1",
      },
      readyUrl: `http://127.0.0.1:${env.WEB_PORT}/api/health`,
    },
  ];
  for (const spec of specs) {
    const service = startService(spec, print);
    services.push(service);
    void service.exited.then((code) => {
      if (!stopping) void stopAll(1, `${spec.name} exited unexpectedly (code ${code})`);
    });
  }
  await Promise.all(services.map((service) => waitUntilReady(service)));
  printBanner(bootstrap);
} catch (error) {
  process.stderr.write(`npm start: ${(error as Error).message}\n`);
  await stopAll(1, "start-up failed");
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
