export type { ActiveCheckTarget } from "./active-health-checks.ts";
export {
  type BreakerChangeReason,
  type BreakerSettings,
  type BreakerState,
  DEFAULT_BREAKER_SETTINGS,
} from "./circuit-breaker.ts";
export {
  createDeploymentHealth,
  type DeploymentHealthFigures,
  type DeploymentHealthOptions,
  type DeploymentHealthService,
  type DeploymentStateChange,
} from "./create-deployment-health.ts";
export type {
  AttemptOutcome,
  DeploymentHealth,
  DeploymentHealthState,
  DeploymentWait,
} from "./deployment-health.ts";
export {
  ATTEMPT_LATENCY_BUCKETS_SECONDS,
  ATTEMPT_RESULTS,
  type AttemptResult,
  type DeploymentCounters,
} from "./deployment-metrics.ts";
export { type ActiveCheckFollower, followActiveCheckTargets } from "./follow-active-check-targets.ts";
export { type ActiveCheckSettings, listActiveCheckTargets } from "./list-active-check-targets.ts";
