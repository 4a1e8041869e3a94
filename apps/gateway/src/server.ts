import cluster from "node:cluster";
import v8 from "node:v8";
import {
  type GatewayProcessSettings,
  gatewayProcessesOf,
  LOG_LEVELS,
  type LogLevel,
} from "./cluster/gateway-workers-env.ts";

keepRequestGarbageYoung();

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

/**
 * Turns off V8's allocation-site pretenuring before the app loads (it sets the flag for this
 * process only; each cluster worker runs this file too). V8 allocates a site's objects straight in
 * the old generation once most of them survive a young collection. Under load that happens to
 * sites whose objects live about as long as a request, and they then die in the old generation:
 * young collections took longer and full ones came sooner. On the built gateway at 16
 * connections, beside the same build without this in alternating rounds: 4 to 7 % less CPU per
 * request, and no change in the hostile-input benchmark's waits (docs/benchmarks.md).
 */
function keepRequestGarbageYoung(): void {
  v8.setFlagsFromString("--no-allocation-site-pretenuring");
}
