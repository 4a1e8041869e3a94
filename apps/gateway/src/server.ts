import { buildGateway } from "./build-gateway.ts";
import { buildGatewayDeps } from "./build-gateway-deps.ts";
import { type GatewayEnv, parseGatewayEnv } from "./env.ts";
import { shutDownGateway } from "./shutdown/shut-down-gateway.ts";
import { startTracing } from "./tracing/start-tracing.ts";

let env: GatewayEnv;
try {
  env = parseGatewayEnv(process.env);
} catch (error) {
  process.stderr.write(`gateway: ${(error as Error).message}\n`);
  process.exit(2);
}

const built = await buildGatewayDeps(env);
const { logger } = built.deps;
// only with an OTLP endpoint; the SDK is not even loaded otherwise
const tracing = await startTracing(env, logger);
const app = buildGateway(built.deps, { ...built.options, traceRequests: tracing !== null });

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
    { app, draining: built.deps.draining, chats: built.deps.chats, closeDeps: closeDepsAndTracing, logger },
    { graceMs: env.SHUTDOWN_GRACE_MS, hurry: hurry.signal },
  ).then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    },
  );
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
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));

await app.listen({ port: env.GATEWAY_PORT, host: env.GATEWAY_HOST });
