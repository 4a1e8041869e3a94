import path from "node:path";
import { loadOrCreateSecretFile } from "@dsc/db";
import type { CliEnv } from "../env.ts";
import { gatewayStopGraceMs, type ServiceSpec } from "./supervise.ts";

export interface PlatformServicesOptions {
  env: CliEnv;
  /** the environment every service inherits (the supervisor's own) */
  inherited: NodeJS.ProcessEnv;
  /** the repository root, where each app's build lies */
  root: string;
  databaseUrl: string;
  /** the METRICS_TOKEN of the gateway's and the worker's /metrics; the dashboard's overview reads the gateway's */
  metricsToken: string;
  /** node's path: the apps run on the supervisor's runtime */
  execPath: string;
  /** the preloads (file URLs): the parent watch of every service, the dashboard's header filter */
  watchParent: string;
  forwardedHeaders: string;
  /** the path of Next.js' command-line entry */
  nextBin: string;
}

/**
 * The three services `npm start` runs. The dashboard reaches the gateway on the loopback
 * address for its overview (GATEWAY_URL), with the same metrics token as the gateway; the
 * worker serves its own /metrics with that token too, only on a WORKER_METRICS_PORT the operator
 * set (a default port would make a second platform on the machine fail to start).
 */
export function platformServices(options: PlatformServicesOptions): ServiceSpec[] {
  const { env, root } = options;
  const shared = {
    ...options.inherited,
    DATABASE_URL: options.databaseUrl,
    DATA_DIR: env.DATA_DIR,
    METRICS_TOKEN: options.metricsToken,
  };
  const gatewayUrl = `http://127.0.0.1:${env.GATEWAY_PORT}`;
  return [
    {
      name: "gateway",
      command: options.execPath,
      args: ["--import", options.watchParent, path.join(root, "apps/gateway/dist/server.js")],
      cwd: root,
      env: { ...shared, GATEWAY_PORT: String(env.GATEWAY_PORT) },
      readyUrl: `${gatewayUrl}/readyz`,
      // its streams get their grace on SIGTERM, and its usage is written after it
      stopGraceMs: gatewayStopGraceMs(env.SHUTDOWN_GRACE_MS),
    },
    {
      name: "worker",
      command: options.execPath,
      args: ["--import", options.watchParent, path.join(root, "apps/worker/dist/main.js")],
      cwd: root,
      env: workerEnv(shared, env.WORKER_METRICS_PORT),
    },
    {
      name: "dashboard",
      command: options.execPath,
      args: [
        "--import",
        options.watchParent,
        "--import",
        options.forwardedHeaders,
        options.nextBin,
        "start",
        "--port",
        String(env.WEB_PORT),
      ],
      cwd: path.join(root, "apps/dashboard"),
      env: {
        ...shared,
        WEB_PORT: String(env.WEB_PORT),
        GATEWAY_PUBLIC_URL: env.GATEWAY_PUBLIC_URL ?? `http://localhost:${env.GATEWAY_PORT}`,
        GATEWAY_URL: gatewayUrl,
        // `next start` sets NODE_ENV=production itself; the dashboard judges by this one
        PLATFORM_NODE_ENV: env.NODE_ENV,
        NEXT_TELEMETRY_DISABLED: "1",
      },
      readyUrl: `http://127.0.0.1:${env.WEB_PORT}/api/health`,
    },
  ];
}

/** The worker's environment: its metrics port only when the operator set one, never an inherited one. */
function workerEnv(shared: NodeJS.ProcessEnv, metricsPort: number | undefined): NodeJS.ProcessEnv {
  const { WORKER_METRICS_PORT: _inherited, ...rest } = shared;
  return metricsPort === undefined ? rest : { ...rest, WORKER_METRICS_PORT: String(metricsPort) };
}

/**
 * The metrics token of `npm start`: METRICS_TOKEN when set, else one generated at the first
 * start into the data folder's secrets, so that the gateway's /metrics always asks for a token
 * and the overview can read it without the operator setting one.
 */
export function loadMetricsToken(options: {
  configured: string | undefined;
  dataDir: string;
}): Promise<string> {
  if (options.configured) return Promise.resolve(options.configured);
  return loadOrCreateSecretFile(options.dataDir, "metrics-token");
}
