import type { DeploymentHealth, DeploymentHealthService } from "@dsc/core";
import { Counter, Gauge, type Registry } from "prom-client";

const STATES = ["closed", "open", "half_open"] as const;

/**
 * The deployments' breakers, read from deployment health at each scrape (the request path does
 * nothing for them): the state as one gauge per state (1 for the current one, so that
 * `dsc_deployment_breaker_state{state="open"} == 1` alerts), attempts and active checks by
 * result, and openings this gateway decided. Attempts' latency is the upstream histogram's
 * (`observeUpstream`, by deployment), not repeated here. Labelled by deployment id only: ids
 * come from the catalogue, so the series are as many as its deployments.
 */
export function registerDeploymentHealthMetrics(
  registry: Registry,
  health: DeploymentHealth | Pick<DeploymentHealthService, "collect"> | null | undefined,
): void {
  // a stand-in without figures (hand-built deps, alwaysAvailableHealth) has no series
  if (!health || !("collect" in health)) return;
  new Gauge({
    name: "dsc_deployment_breaker_state",
    help: "Circuit breaker state of each model deployment on this gateway: 1 for its current state",
    labelNames: ["deployment", "state"] as const,
    // a cluster's workers share the breakers through Redis: a state is 1 if any worker sees it
    aggregator: "max",
    registers: [registry],
    collect() {
      this.reset();
      for (const figures of health.collect()) {
        for (const state of STATES) {
          this.set({ deployment: figures.deploymentId, state }, figures.state === state ? 1 : 0);
        }
      }
    },
  });
  new Counter({
    name: "dsc_deployment_attempts_total",
    help: "Attempts at each model deployment reported to its breaker, by result (ok, connect, timeout, status_5xx, status_429, broken_answer)",
    labelNames: ["deployment", "result"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const figures of health.collect()) {
        for (const [result, count] of Object.entries(figures.attempts)) {
          if (count > 0) this.inc({ deployment: figures.deploymentId, result }, count);
        }
      }
    },
  });
  new Counter({
    name: "dsc_deployment_health_checks_total",
    help: "Active health checks (GET /models) of each model deployment, by result",
    labelNames: ["deployment", "result"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const figures of health.collect()) {
        for (const [result, count] of Object.entries(figures.checks)) {
          if (count > 0) this.inc({ deployment: figures.deploymentId, result }, count);
        }
      }
    },
  });
  new Counter({
    name: "dsc_deployment_breaker_openings_total",
    help: "Times this gateway opened a model deployment's circuit breaker (openings heard from other gateways are theirs)",
    labelNames: ["deployment"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const figures of health.collect()) {
        if (figures.opened > 0) this.inc({ deployment: figures.deploymentId }, figures.opened);
      }
    },
  });
}
