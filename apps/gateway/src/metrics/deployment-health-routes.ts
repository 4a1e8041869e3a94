import { type DeploymentHealthReport, getDeploymentHealthOperation } from "@dsc/api-client";
import { alwaysAvailableHealth, type DeploymentHealth } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import { serveOperation } from "../operations/serve-operation.ts";
import { requireMetricsToken } from "./metrics-token.ts";

/**
 * GET /internal/deployments/health: this instance's circuit breaker of each deployment, for the
 * dashboard's models page. Like /metrics it is the operator's (it tells which upstreams fail):
 * it asks for the metrics token, and without one configured there is no such route (404).
 * Breakers are in memory (shared through Redis when REDIS_URL is set), so this reads no database.
 */
export function registerDeploymentHealthRoutes(
  app: FastifyInstance,
  health: Pick<DeploymentHealth, "snapshot"> | null,
  token: string | null,
) {
  if (!token) return;
  serveOperation(app, getDeploymentHealthOperation, {
    onRequest: requireMetricsToken(token, "GET /internal/deployments/health"),
  })(async ({ reply }): Promise<DeploymentHealthReport> => {
    reply.header("cache-control", "no-store");
    // the stand-in that keeps no breakers says nothing about the deployments
    if (!health || health === alwaysAvailableHealth) return { available: false, deployments: [] };
    return {
      available: true,
      deployments: health.snapshot().map((breaker) => ({
        deployment_id: breaker.deploymentId,
        state: breaker.state,
        cooling_until: breaker.coolingUntil?.toISOString() ?? null,
        consecutive_failures: breaker.consecutiveFailures,
      })),
    };
  });
}
