import { describe, expect, it } from "vitest";
import { fakeClock } from "../../../../../test/support/database.ts";
import { createDeploymentHealth, type DeploymentStateChange } from "./create-deployment-health.ts";
import type { AttemptOutcome } from "./deployment-health.ts";
import { createErrorWindow } from "./error-window.ts";

const ok: AttemptOutcome = { ok: true, latencyMs: 120 };
const failed: AttemptOutcome = { ok: false, reason: "status_5xx", latencyMs: 40 };

async function healthInMemory(breaker = {}) {
  const clock = fakeClock();
  const changes: DeploymentStateChange[] = [];
  const health = await createDeploymentHealth({
    clock,
    breaker,
    onStateChange: (change) => changes.push(change),
  });
  const stateOf = (deploymentId: string) => health.snapshot().find((s) => s.deploymentId === deploymentId);
  /** milliseconds until the deployment may be tried again; null when it may now */
  const coolingLeft = (deploymentId: string) => {
    const until = stateOf(deploymentId)?.coolingUntil ?? null;
    return until === null ? null : until.getTime() - clock.now().getTime();
  };
  /** one attempt that the breaker allows, reported with `outcome` */
  const attempt = (deploymentId: string, outcome: AttemptOutcome) => {
    expect(health.tryAcquire(deploymentId)).toBe(true);
    health.report(deploymentId, outcome);
  };
  return { clock, health, changes, stateOf, coolingLeft, attempt };
}

describe("deployment circuit breaker", () => {
  it("opens after N consecutive failures, and a success in between starts the count again", async () => {
    const { health, stateOf, attempt, changes, clock } = await healthInMemory({ failureThreshold: 3 });
    attempt("dep_a", failed);
    attempt("dep_a", failed);
    attempt("dep_a", ok);
    attempt("dep_a", failed);
    attempt("dep_a", failed);
    expect(stateOf("dep_a")).toMatchObject({ state: "closed", consecutiveFailures: 2, coolingUntil: null });
    attempt("dep_a", { ok: false, reason: "connect", latencyMs: 3 });

    expect(health.tryAcquire("dep_a")).toBe(false);
    expect(stateOf("dep_a")).toEqual({
      deploymentId: "dep_a",
      state: "open",
      coolingUntil: new Date(clock.now().getTime() + 30_000),
      consecutiveFailures: 3,
    });
    expect(changes).toEqual([
      expect.objectContaining({ deploymentId: "dep_a", state: "open", reason: "consecutive_failures" }),
    ]);
    // another deployment is not affected
    expect(health.tryAcquire("dep_b")).toBe(true);
    await health.close();
  });

  it("opens on an error rate over the window once enough attempts were seen, not before", async () => {
    const { health, stateOf, attempt, changes, clock } = await healthInMemory({
      failureThreshold: 100,
      minimumAttempts: 20,
      errorRateThreshold: 0.5,
      windowMs: 30_000,
    });
    // 9 failures among 18 attempts: half, but under the minimum of 20
    for (let i = 0; i < 9; i++) {
      attempt("dep_a", failed);
      attempt("dep_a", ok);
      clock.advance(1_000);
    }
    expect(stateOf("dep_a")?.state).toBe("closed");
    attempt("dep_a", ok);
    attempt("dep_a", failed); // 10 of 20
    expect(stateOf("dep_a")?.state).toBe("open");
    expect(changes.map((c) => c.reason)).toEqual(["error_rate"]);
    expect(health.tryAcquire("dep_a")).toBe(false);
    await health.close();
  });

  it("forgets attempts that have left the window", async () => {
    const { health, stateOf, attempt, clock } = await healthInMemory({
      failureThreshold: 100,
      minimumAttempts: 4,
      errorRateThreshold: 0.5,
      windowMs: 10_000,
    });
    attempt("dep_a", failed);
    attempt("dep_a", failed);
    attempt("dep_a", ok);
    clock.advance(11_000);
    // the two old failures are out of the window: 1 of 4 failed
    attempt("dep_a", ok);
    attempt("dep_a", ok);
    attempt("dep_a", ok);
    attempt("dep_a", failed);
    expect(stateOf("dep_a")?.state).toBe("closed");
    await health.close();
  });

  it("half-opens after the cool-down and lets exactly one probe through; its success closes", async () => {
    const { health, stateOf, attempt, changes, clock } = await healthInMemory({ failureThreshold: 2 });
    attempt("dep_a", failed);
    attempt("dep_a", failed);
    clock.advance(29_999);
    expect(health.tryAcquire("dep_a")).toBe(false);
    clock.advance(1);
    expect(stateOf("dep_a")).toMatchObject({ state: "half_open", coolingUntil: null });

    expect(health.tryAcquire("dep_a")).toBe(true);
    // a second request while the probe is out is refused
    expect(health.tryAcquire("dep_a")).toBe(false);
    expect(health.tryAcquire("dep_a")).toBe(false);
    health.report("dep_a", ok);

    expect(stateOf("dep_a")).toEqual({
      deploymentId: "dep_a",
      state: "closed",
      coolingUntil: null,
      consecutiveFailures: 0,
    });
    expect(health.tryAcquire("dep_a")).toBe(true);
    expect(health.tryAcquire("dep_a")).toBe(true);
    expect(changes.map((c) => [c.state, c.reason])).toEqual([
      ["open", "consecutive_failures"],
      ["half_open", "probe_started"],
      ["closed", "probe_succeeded"],
    ]);
    await health.close();
  });

  it("re-opens when the probe fails, for a cool-down that doubles each time, up to the cap", async () => {
    const { health, stateOf, coolingLeft, attempt, changes, clock } = await healthInMemory({
      failureThreshold: 1,
      coolDownMs: 10_000,
      maxCoolDownMs: 35_000,
    });
    attempt("dep_a", failed);
    const coolDowns: number[] = [];
    for (let round = 0; round < 4; round++) {
      const until = stateOf("dep_a")?.coolingUntil as Date;
      coolDowns.push(until.getTime() - clock.now().getTime());
      clock.set(until);
      attempt("dep_a", { ok: false, reason: "timeout", latencyMs: 5_000 });
      expect(stateOf("dep_a")?.state).toBe("open");
      expect(health.tryAcquire("dep_a")).toBe(false);
    }
    expect(coolDowns).toEqual([10_000, 20_000, 35_000, 35_000]);
    expect(changes.filter((c) => c.state === "open").map((c) => c.reason)).toEqual([
      "consecutive_failures",
      "probe_failed",
      "probe_failed",
      "probe_failed",
      "probe_failed",
    ]);

    // closing starts the backoff again
    clock.set(stateOf("dep_a")?.coolingUntil as Date);
    attempt("dep_a", ok);
    attempt("dep_a", failed);
    expect(coolingLeft("dep_a")).toBe(10_000);
    await health.close();
  });

  it("a released probe frees its slot without closing or re-opening, and counts nothing", async () => {
    const { health, stateOf, attempt, changes, clock, coolingLeft } = await healthInMemory({
      failureThreshold: 2,
    });
    attempt("dep_a", failed);
    attempt("dep_a", failed);
    clock.advance(30_000);
    expect(health.tryAcquire("dep_a")).toBe(true);
    expect(health.tryAcquire("dep_a")).toBe(false);
    health.release("dep_a");
    expect(stateOf("dep_a")).toMatchObject({ state: "half_open", consecutiveFailures: 2 });
    expect(coolingLeft("dep_a")).toBeNull();
    // the next request is the probe, and its success closes the breaker
    attempt("dep_a", ok);
    expect(stateOf("dep_a")?.state).toBe("closed");
    // released attempts of a closed breaker leave its streak alone
    attempt("dep_a", failed);
    expect(health.tryAcquire("dep_a")).toBe(true);
    health.release("dep_a");
    attempt("dep_a", failed);
    expect(stateOf("dep_a")?.state).toBe("open");
    expect(health.collect().find((f) => f.deploymentId === "dep_a")?.attempts).toMatchObject({
      ok: 1,
      status_5xx: 4,
    });
    expect(changes.map((c) => c.state)).toEqual(["open", "half_open", "closed", "open"]);
    await health.close();
  });

  it("lets a new probe go when the last one never reported", async () => {
    const { health, attempt, clock } = await healthInMemory({ failureThreshold: 1, probeTimeoutMs: 60_000 });
    attempt("dep_a", failed);
    clock.advance(30_000);
    expect(health.tryAcquire("dep_a")).toBe(true);
    clock.advance(59_999);
    expect(health.tryAcquire("dep_a")).toBe(false);
    clock.advance(1);
    expect(health.tryAcquire("dep_a")).toBe(true);
    await health.close();
  });

  it("cools a deployment down for a 429's Retry-After, capped, without counting a failure", async () => {
    const { health, stateOf, coolingLeft, attempt, changes, clock } = await healthInMemory({
      failureThreshold: 2,
      maxRetryAfterMs: 60_000,
    });
    attempt("dep_a", failed);
    attempt("dep_a", { ok: false, reason: "status_429", latencyMs: 10, retryAfterMs: 5_000 });
    expect(stateOf("dep_a")).toEqual({
      deploymentId: "dep_a",
      state: "closed",
      coolingUntil: new Date(clock.now().getTime() + 5_000),
      consecutiveFailures: 1,
    });
    expect(health.tryAcquire("dep_a")).toBe(false);
    clock.advance(5_000);
    expect(health.tryAcquire("dep_a")).toBe(true);
    health.report("dep_a", ok);
    expect(changes).toEqual([]);

    attempt("dep_a", { ok: false, reason: "status_429", latencyMs: 10, retryAfterMs: 3_600_000 });
    expect(coolingLeft("dep_a")).toBe(60_000);
    await health.close();
  });

  it("counts a 429 without Retry-After as a failure", async () => {
    const { stateOf, attempt, health } = await healthInMemory({ failureThreshold: 2 });
    attempt("dep_a", { ok: false, reason: "status_429", latencyMs: 10 });
    attempt("dep_a", { ok: false, reason: "status_429", latencyMs: 10 });
    expect(stateOf("dep_a")?.state).toBe("open");
    await health.close();
  });

  it("a rate-limited probe leaves the breaker half-open and the next probe waits for the cool-down", async () => {
    const { health, stateOf, attempt, clock } = await healthInMemory({ failureThreshold: 1 });
    attempt("dep_a", failed);
    clock.advance(30_000);
    attempt("dep_a", { ok: false, reason: "status_429", latencyMs: 10, retryAfterMs: 2_000 });
    expect(stateOf("dep_a")).toMatchObject({ state: "half_open" });
    expect(health.tryAcquire("dep_a")).toBe(false);
    clock.advance(2_000);
    attempt("dep_a", ok);
    expect(stateOf("dep_a")?.state).toBe("closed");
    await health.close();
  });

  it("ignores the late report of an attempt let through before the breaker opened", async () => {
    const { health, stateOf, attempt, clock } = await healthInMemory({ failureThreshold: 1 });
    expect(health.tryAcquire("dep_a")).toBe(true); // slow, still out
    attempt("dep_a", failed);
    const until = stateOf("dep_a")?.coolingUntil;
    health.report("dep_a", ok);
    expect(stateOf("dep_a")).toMatchObject({ state: "open", coolingUntil: until });
    clock.advance(1);
    expect(health.tryAcquire("dep_a")).toBe(false);
    await health.close();
  });

  it("counts attempts by result and successful latencies in the histogram for /metrics", async () => {
    const { health, attempt } = await healthInMemory({ failureThreshold: 3 });
    attempt("dep_a", { ok: true, latencyMs: 80 });
    attempt("dep_a", { ok: true, latencyMs: 700 });
    attempt("dep_a", { ok: false, reason: "timeout", latencyMs: 60_000 });
    attempt("dep_a", { ok: false, reason: "status_429", latencyMs: 5, retryAfterMs: 1_000 });
    const [figures] = health.collect();
    expect(figures).toMatchObject({
      deploymentId: "dep_a",
      state: "closed",
      attempts: { ok: 2, connect: 0, timeout: 1, status_5xx: 0, status_429: 1 },
      opened: 0,
    });
    expect(figures?.latency).toMatchObject({
      //            0.05 0.1 0.25 0.5 1  2.5 5  10 30 60
      bucketCounts: [0, 1, 1, 1, 2, 2, 2, 2, 2, 2],
      count: 2,
    });
    expect(figures?.latency.sumSeconds).toBeCloseTo(0.78, 6);
    await health.close();
  });
});

describe("error window", () => {
  it("keeps a fixed ring of buckets however many attempts it counts", () => {
    const window = createErrorWindow(10_000, 10);
    for (let i = 0; i < 100_000; i++) window.add(5_000 + (i % 1_000), i % 4 === 0);
    expect(window.totals(5_999)).toEqual({ attempts: 100_000, failures: 25_000 });
    expect(window.totals(15_500)).toEqual({ attempts: 0, failures: 0 });
  });
});
