import type { Clock } from "../../time/clock.ts";
import { type ActiveCheckTarget, createActiveHealthChecks } from "./active-health-checks.ts";
import {
  type BreakerChangeReason,
  type BreakerDecision,
  type BreakerNotice,
  type BreakerSettings,
  type CircuitBreaker,
  createCircuitBreaker,
  DEFAULT_BREAKER_SETTINGS,
  type SharedBreakerState,
} from "./circuit-breaker.ts";
import type { AttemptOutcome, DeploymentHealth, DeploymentHealthState } from "./deployment-health.ts";
import {
  copyCounters,
  countAttempt,
  countCheck,
  type DeploymentCounters,
  emptyCounters,
} from "./deployment-metrics.ts";
import { connectSharedBreakerStates, type SharedBreakerStates } from "./shared-breaker-states.ts";

/** A breaker state change this gateway decided (one heard from another gateway is that one's to tell). */
export interface DeploymentStateChange {
  deploymentId: string;
  state: "closed" | "open" | "half_open";
  reason: BreakerChangeReason;
  at: Date;
  /** open: when the probe may go */
  coolingUntil: Date | null;
  consecutiveFailures: number;
}

export interface DeploymentHealthOptions {
  clock: Clock;
  breaker?: Partial<BreakerSettings>;
  /** with it, breaker decisions are shared with every gateway on the same Redis */
  redisUrl?: string | null;
  /** namespaces the Redis keys and channel (tests); default `dsc:deployment-health:` */
  redisPrefix?: string;
  /** how long start-up waits for Redis before going on with this gateway's memory alone; default 2 s */
  redisStartTimeoutMs?: number;
  /** called synchronously on the request path: hand slow work (a webhook) to the background */
  onStateChange?: (change: DeploymentStateChange) => void;
  onError?: (error: unknown) => void;
}

/** One deployment's figures for /metrics. */
export interface DeploymentHealthFigures extends DeploymentCounters {
  deploymentId: string;
  state: "closed" | "open" | "half_open";
}

export interface DeploymentHealthService extends DeploymentHealth {
  /** where decisions live: Redis (shared by the gateways) or this process's memory */
  readonly sharing: "redis" | "memory";
  /** The deployments to check actively, replacing the previous list (empty: none). */
  setActiveChecks(targets: readonly ActiveCheckTarget[]): void;
  /** counters and latency histogram per deployment, and its breaker state, for /metrics */
  collect(): DeploymentHealthFigures[];
}

interface TrackedDeployment {
  breaker: CircuitBreaker;
  counters: DeploymentCounters;
}

/**
 * Circuit breakers per deployment, in memory so that `tryAcquire` never waits; with Redis,
 * every decision (opened until, probe taken, closed, cooled down until) is written and
 * announced so that the other gateways take it over within a round trip, and a starting gateway
 * reads the current ones. Failures are counted per gateway: each opens a breaker on what its own
 * requests saw, and then all of them keep it open. See circuit-breaker.ts for the rules.
 */
export async function createDeploymentHealth(
  options: DeploymentHealthOptions,
): Promise<DeploymentHealthService> {
  const settings: BreakerSettings = { ...DEFAULT_BREAKER_SETTINGS, ...options.breaker };
  const onError = options.onError ?? (() => {});
  const deployments = new Map<string, TrackedDeployment>();
  const nowMs = () => options.clock.now().getTime();

  function tracked(deploymentId: string): TrackedDeployment {
    let deployment = deployments.get(deploymentId);
    if (deployment === undefined) {
      deployment = { breaker: createCircuitBreaker(settings), counters: emptyCounters() };
      deployments.set(deploymentId, deployment);
    }
    return deployment;
  }

  let shared: SharedBreakerStates | null = null;
  if (options.redisUrl) {
    shared = connectSharedBreakerStates({
      redisUrl: options.redisUrl,
      prefix: options.redisPrefix,
      keepMs: settings.probeTimeoutMs,
      onDecision: (deploymentId: string, decided: SharedBreakerState) =>
        tracked(deploymentId).breaker.adopt(decided),
      onNotice: (deploymentId: string, notice: BreakerNotice) => tracked(deploymentId).breaker.heed(notice),
      onError,
    });
    // a gateway that cannot reach Redis yet serves with its own memory; it reads the shared
    // states as soon as the connection is up
    if (!(await shared.ready(options.redisStartTimeoutMs ?? 2_000))) {
      onError(
        new Error(
          "deployment health: Redis not reachable at start; breakers are this gateway's own until it is",
        ),
      );
    }
  }

  function apply(deploymentId: string, deployment: TrackedDeployment, decision: BreakerDecision): void {
    if (decision.shared !== null) shared?.publish(deploymentId, decision.shared, nowMs());
    if (decision.notice) shared?.announce(deploymentId, decision.notice, nowMs());
    if (decision.change === null) return;
    if (decision.change.state === "open") deployment.counters.opened += 1;
    if (options.onStateChange === undefined) return;
    const view = deployment.breaker.view(nowMs());
    try {
      options.onStateChange({
        deploymentId,
        state: decision.change.state,
        reason: decision.change.reason,
        at: options.clock.now(),
        coolingUntil: view.coolingUntil === null ? null : new Date(view.coolingUntil),
        consecutiveFailures: view.consecutiveFailures,
      });
    } catch (error) {
      onError(error);
    }
  }

  function tryAcquire(deploymentId: string): boolean {
    const deployment = tracked(deploymentId);
    const { isAllowed, ...decision } = deployment.breaker.tryAcquire(nowMs());
    apply(deploymentId, deployment, decision);
    return isAllowed;
  }

  const checks = createActiveHealthChecks({
    tryAcquire,
    reportCheck(deploymentId, outcome) {
      const deployment = tracked(deploymentId);
      countCheck(deployment.counters, outcome);
      apply(deploymentId, deployment, deployment.breaker.report(outcome, nowMs()));
    },
    release,
  });

  function release(deploymentId: string): void {
    const deployment = tracked(deploymentId);
    apply(deploymentId, deployment, deployment.breaker.release());
  }

  return {
    sharing: shared === null ? "memory" : "redis",
    tryAcquire,

    report(deploymentId: string, outcome: AttemptOutcome) {
      const deployment = tracked(deploymentId);
      countAttempt(deployment.counters, outcome);
      apply(deploymentId, deployment, deployment.breaker.report(outcome, nowMs()));
    },

    release,

    waitOf(deploymentId: string) {
      return deployments.get(deploymentId)?.breaker.wait(nowMs()) ?? null;
    },

    snapshot(): DeploymentHealthState[] {
      const now = nowMs();
      return [...deployments].map(([deploymentId, { breaker }]) => {
        const view = breaker.view(now);
        return {
          deploymentId,
          state: view.state,
          coolingUntil: view.coolingUntil === null ? null : new Date(view.coolingUntil),
          consecutiveFailures: view.consecutiveFailures,
        };
      });
    },

    setActiveChecks(targets) {
      for (const target of targets) tracked(target.deploymentId);
      checks.set(targets);
    },

    collect() {
      const now = nowMs();
      return [...deployments].map(([deploymentId, { breaker, counters }]) => ({
        deploymentId,
        state: breaker.view(now).state,
        ...copyCounters(counters),
      }));
    },

    async close() {
      await checks.close();
      await shared?.close();
    },
  };
}
