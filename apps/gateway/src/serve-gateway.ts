import { buildGateway } from "./build-gateway.ts";
import { buildGatewayDeps } from "./build-gateway-deps.ts";
import type { PrimaryLink } from "./cluster/primary-link.ts";
import { type GatewayEnv, parseGatewayEnv } from "./env.ts";
import { flushLogBeforeExit } from "./logging/gateway-logger.ts";
import { processMetricsRegistry } from "./metrics/process-metrics.ts";
import { shutDownGateway } from "./shutdown/shut-down-gateway.ts";
import { startTracing } from "./tracing/start-tracing.ts";

/**
 * One gateway process: builds the deps and the app from the environment, listens, and shuts
 * down on SIGTERM or SIGINT. Alone (GATEWAY_WORKERS=1) it is the whole gateway; as one of a
 * cluster's workers (`primary` set) its stop signals, its listening line and its /metrics go
 * through the primary (cluster/run-primary.ts).
 */
export async function serveGateway(source: NodeJS.ProcessEnv, primary: PrimaryLink | null): Promise<void> {
  let env: GatewayEnv;
  try {
    env = parseGatewayEnv(source);
  } catch (error) {
    process.stderr.write(`gateway: ${(error as Error).message}\n`);
    process.exit(2);
  }

  const built = await buildGatewayDeps(env);
  const { logger } = built.deps;
  // only with an OTLP endpoint; the SDK is not even loaded otherwise
  const tracing = await startTracing(env, logger);
  const deps = primary ? withClusterMetrics(built.deps, primary) : built.deps;
  const app = buildGateway(deps, { ...built.options, traceRequests: tracing !== null });

  // a second signal cuts what is still running at once; what it used is written all the same
  const hurry = new AbortController();
  let isShuttingDown = false;
  function shutdown(signal: string) {
    if (isShuttingDown) {
      logger.warn({ signal }, "second signal: cutting what is still running now");
      hurry.abort();
      return;
    }
    isShuttingDown = true;
    logger.info({ signal, graceMs: env.SHUTDOWN_GRACE_MS }, "shutting down");
    shutDownGateway(
      { app, draining: deps.draining, chats: deps.chats, closeDeps: closeDepsAndTracing, logger },
      { graceMs: env.SHUTDOWN_GRACE_MS, hurry: hurry.signal },
    ).then(
      () => exitWithLogWritten(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        exitWithLogWritten(1);
      },
    );
  }
  function exitWithLogWritten(code: number) {
    void flushLogBeforeExit(logger).then(() => process.exit(code));
  }
  /**
   * The writers' last batches, then their spans and every other span still waiting, exported;
   * the spans even when closing a dependency failed, since they are what explains the failure.
   */
  async function closeDepsAndTracing() {
    try {
      await built.close();
    } finally {
      await tracing?.shutdown();
    }
  }
  if (primary) {
    primary.followStops({ shutdown, hurry: () => shutdown("second signal") });
  } else {
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    process.on("SIGINT", () => shutdown("SIGINT"));
  }

  if (!primary) {
    await app.listen({ port: env.GATEWAY_PORT, host: env.GATEWAY_HOST });
    return;
  }
  // the primary prints "Server listening at" once every worker listens: what waits for that
  // line (npm start, the benchmarks) then finds them all serving
  const urls: string[] = [];
  await app.listen({
    port: env.GATEWAY_PORT,
    host: env.GATEWAY_HOST,
    listenTextResolver: (url) => {
      urls.push(url);
      return `worker ${primary.slot} listening at ${url}`;
    },
  });
  primary.reportListening(urls);
}

/**
 * A worker's /metrics answers for every worker: the primary collects each one's series and adds
 * them up (counters and histograms summed; each gauge as its `aggregator` says). The process
 * and runtime series stay one per worker, under a `worker` label of its slot, since a sum of
 * heaps or event-loop delays would hide the worker that stalls.
 */
function withClusterMetrics<D extends GatewayEnvDeps>(deps: D, primary: PrimaryLink): D {
  const processRegistry = processMetricsRegistry();
  processRegistry.setDefaultLabels({ worker: String(primary.slot) });
  primary.shareSeries([deps.metrics.registry, processRegistry]);
  return { ...deps, metrics: { ...deps.metrics, exposition: () => primary.clusterExposition() } };
}

type GatewayEnvDeps = Awaited<ReturnType<typeof buildGatewayDeps>>["deps"];
