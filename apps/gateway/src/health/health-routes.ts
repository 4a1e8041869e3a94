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
    const ready = database === "up";
    reply.code(ready ? 200 : 503);
    return { status: ready ? "ready" : "unavailable", checks: { database } };
  });
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
