import { buildGateway } from "./build-gateway.ts";
import { buildGatewayDeps } from "./build-gateway-deps.ts";
import { type GatewayEnv, parseGatewayEnv } from "./env.ts";

let env: GatewayEnv;
try {
  env = parseGatewayEnv(process.env);
} catch (error) {
  process.stderr.write(`gateway: ${(error as Error).message}\n`);
  process.exit(2);
}

const built = await buildGatewayDeps(env);
const { logger } = built.deps;
const app = buildGateway(built.deps, built.options);

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down");
  // in-flight requests end first; then their reservations settle and every usage event is written
  await app.close();
  await built.close();
  process.exit(0);
}
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));

await app.listen({ port: env.GATEWAY_PORT, host: env.GATEWAY_HOST });
