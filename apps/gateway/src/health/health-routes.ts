import { getLivenessOperation, getReadinessOperation } from "@dsc/api-client";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { serveOperation } from "../operations/serve-operation.ts";

const DATABASE_CHECK_TIMEOUT_MS = 2_000;

/** Liveness and readiness for load balancers and orchestrators; no credentials needed. */
export function registerHealthRoutes(app: FastifyInstance, deps: GatewayDeps) {
  serveOperation(app, getLivenessOperation)(async () => ({ status: "ok" }));

  serveOperation(
    app,
    getReadinessOperation,
  )(async ({ reply }) => {
    const database = (await isDatabaseUp(deps)) ? "up" : "down";
    const checks: Record<string, "up" | "down"> = { database, ...masterKeyChecks(deps) };
    // a shutdown has begun: load balancers take this instance out while its streams finish
    if (deps.draining.isDraining) checks.accepting = "down";
    const ready = Object.values(checks).every((check) => check === "up");
    reply.code(ready ? 200 : 503);
    return { status: ready ? "ready" : "unavailable", checks };
  });
}

/**
 * `master_key` and, for each version that cannot open what it wrapped, `master_key_v<N>`:
 * "down", so that the answer names the version to fix. A wrong key does not heal by itself,
 * so it stays down until a restart with the right ENCRYPTION_KEY.
 */
function masterKeyChecks(deps: GatewayDeps): Record<string, "up" | "down"> {
  if (!deps.masterKeys) return {};
  const failures = deps.masterKeys.failures();
  const checks: Record<string, "up" | "down"> = { master_key: failures.length === 0 ? "up" : "down" };
  for (const failure of failures) checks[`master_key_v${failure.version}`] = "down";
  return checks;
}

async function isDatabaseUp(deps: GatewayDeps): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([deps.db.$queryRaw`SELECT 1`.then(() => true), timeout]);
  } catch (error) {
    deps.logger.warn({ err: error }, "readiness: database check failed");
    return false;
  } finally {
    clearTimeout(timer);
  }
}
