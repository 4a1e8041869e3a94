import {
  type ActiveCheckFollower,
  type Clock,
  createDeploymentHealth,
  type DeploymentHealthService,
  type DeploymentStateChange,
  followActiveCheckTargets,
  type OrganizationChangeFeed,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import type { Logger } from "pino";
import type { GatewayEnv } from "../env.ts";

export interface BuiltDeploymentHealth {
  health: DeploymentHealthService;
  /** the active checks, kept as the deployment rows say */
  activeChecks: ActiveCheckFollower;
  close(): Promise<void>;
}

/**
 * The deployments' circuit breakers from the environment: shared through Redis with REDIS_URL,
 * else this gateway's own; active health checks for the deployments that ask for them,
 * followed as the catalogue changes. `onStateChange` hears the breakers this gateway opens,
 * half-opens and closes (to announce an opening once, not once per gateway).
 */
export async function buildDeploymentHealth(
  env: GatewayEnv,
  deps: {
    db: Database;
    clock: Clock;
    logger: Logger;
    changes: OrganizationChangeFeed;
    /** namespaces the shared states in Redis (tests: one per gateway) */
    redisPrefix?: string;
    onStateChange?: (change: DeploymentStateChange) => void;
  },
): Promise<BuiltDeploymentHealth> {
  const { logger } = deps;
  const health = await createDeploymentHealth({
    clock: deps.clock,
    redisUrl: env.REDIS_URL ?? null,
    redisPrefix: deps.redisPrefix,
    breaker: {
      failureThreshold: env.DEPLOYMENT_BREAKER_FAILURES,
      errorRateThreshold: env.DEPLOYMENT_BREAKER_ERROR_PERCENT / 100,
      coolDownMs: env.DEPLOYMENT_BREAKER_COOL_DOWN_MS,
      maxCoolDownMs: env.DEPLOYMENT_BREAKER_COOL_DOWN_MS * 10,
    },
    onStateChange(change) {
      const line = {
        deployment: change.deploymentId,
        state: change.state,
        reason: change.reason,
        coolingUntil: change.coolingUntil?.toISOString() ?? null,
        consecutiveFailures: change.consecutiveFailures,
      };
      if (change.state === "open") logger.warn(line, "deployment circuit breaker opened");
      else logger.info(line, "deployment circuit breaker changed");
      deps.onStateChange?.(change);
    },
    onError: (error) => logger.warn({ err: error }, "deployment health"),
  });
  logger.info({ sharing: health.sharing }, "deployment health");
  const activeChecks = await followActiveCheckTargets({ db: deps.db, changes: deps.changes }, health, {
    defaultUpstream: env.UPSTREAM_BASE_URL
      ? { baseUrl: env.UPSTREAM_BASE_URL, apiKey: env.UPSTREAM_API_KEY ?? null, model: null }
      : null,
    upstreamKeys: env.UPSTREAM_API_KEYS,
    onError: (error) => logger.warn({ err: error }, "could not read the deployments' health checks"),
  });
  return {
    health,
    activeChecks,
    async close() {
      // a read of the rows in flight ends before the checks stop, so that it starts none after
      await activeChecks.settled();
      await health.close();
    },
  };
}
