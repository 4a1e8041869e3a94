import cluster from "node:cluster";
import {
  type GatewayProcessSettings,
  gatewayProcessesOf,
  LOG_LEVELS,
  type LogLevel,
} from "./cluster/gateway-workers-env.ts";

// Only the settings that decide how many processes run are read here: a cluster's primary
// loads nothing of the app (dynamic imports below), each worker and a single gateway all of it.
let processes: GatewayProcessSettings;
try {
  processes = gatewayProcessesOf(process.env);
} catch (error) {
  process.stderr.write(`gateway: ${(error as Error).message}\n`);
  process.exit(2);
}

if (cluster.isPrimary && processes.workers > 1) {
  const { runPrimary } = await import("./cluster/run-primary.ts");
  runPrimary({ workers: processes.workers, logLevel: logLevelOf(process.env) });
} else {
  const { serveGateway } = await import("./serve-gateway.ts");
  const { joinPrimary } = await import("./cluster/primary-link.ts");
  await serveGateway(process.env, cluster.isWorker ? joinPrimary(processes.slot ?? 0) : null);
}

/** The primary's LOG_LEVEL; a bad value is refused by the workers' full parse, which exits 2. */
function logLevelOf(source: NodeJS.ProcessEnv): LogLevel {
  return LOG_LEVELS.find((level) => level === source.LOG_LEVEL) ?? "info";
}
