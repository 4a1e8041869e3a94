import type { DeploymentHealth } from "./health/deployment-health.ts";

/**
 * Health that never takes a deployment out: what a gateway uses when no breaker is configured
 * (hand-built dependencies, tests of other things). Failover still moves past a deployment that
 * failed within the same request.
 */
export const alwaysAvailableHealth: DeploymentHealth = {
  tryAcquire: () => true,
  report: () => {},
  release: () => {},
  waitOf: () => null,
  snapshot: () => [],
  close: async () => {},
};
