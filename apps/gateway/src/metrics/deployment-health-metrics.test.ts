import { alwaysAvailableHealth, createDeploymentHealth } from "@dsc/core";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { registerDeploymentHealthMetrics } from "./deployment-health-metrics.ts";

describe("deployment health metrics", () => {
  it("expose each deployment's breaker state, attempts by result and openings at each scrape", async () => {
    const clock = fakeClock();
    const health = await createDeploymentHealth({ clock, breaker: { failureThreshold: 2 } });
    const registry = new Registry();
    registerDeploymentHealthMetrics(registry, health);
    try {
      for (const outcome of [
        { ok: true as const, latencyMs: 40 },
        { ok: false as const, reason: "timeout" as const, latencyMs: 5_000 },
        { ok: false as const, reason: "status_5xx" as const, latencyMs: 30 },
      ]) {
        health.tryAcquire("dep_flaky");
        health.report("dep_flaky", outcome);
      }
      health.tryAcquire("dep_fine");
      health.report("dep_fine", { ok: true, latencyMs: 10 });

      const text = await registry.metrics();
      expect(text).toContain('dsc_deployment_breaker_state{deployment="dep_flaky",state="open"} 1\n');
      expect(text).toContain('dsc_deployment_breaker_state{deployment="dep_flaky",state="closed"} 0\n');
      expect(text).toContain('dsc_deployment_breaker_state{deployment="dep_fine",state="closed"} 1\n');
      expect(text).toContain('dsc_deployment_attempts_total{deployment="dep_flaky",result="ok"} 1\n');
      expect(text).toContain('dsc_deployment_attempts_total{deployment="dep_flaky",result="timeout"} 1\n');
      expect(text).toContain('dsc_deployment_attempts_total{deployment="dep_flaky",result="status_5xx"} 1\n');
      expect(text).toContain('dsc_deployment_breaker_openings_total{deployment="dep_flaky"} 1\n');
      expect(text).not.toContain('dsc_deployment_breaker_openings_total{deployment="dep_fine"}');

      // the next scrape reads the breakers again: half-open after the cool-down
      clock.advance(30_000);
      expect(await registry.metrics()).toContain(
        'dsc_deployment_breaker_state{deployment="dep_flaky",state="half_open"} 1\n',
      );
    } finally {
      await health.close();
    }
  });

  it("register nothing without deployment health, or for the stand-in that keeps no breakers", async () => {
    const registry = new Registry();
    registerDeploymentHealthMetrics(registry, null);
    registerDeploymentHealthMetrics(registry, alwaysAvailableHealth);
    expect(await registry.metrics()).toBe("\n");
  });
});
