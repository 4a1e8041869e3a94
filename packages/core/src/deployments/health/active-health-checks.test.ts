import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { fakeClock } from "../../../../../test/support/database.ts";
import { eventually } from "../../../../../test/support/eventually.ts";
import {
  answerJson,
  type FakeUpstream,
  neverAnswer,
  type Responder,
  startDroppingServer,
  startFakeUpstream,
} from "../../../../../test/support/fake-upstream.ts";
import { createDeploymentHealth } from "./create-deployment-health.ts";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function upstream(script: Responder | Responder[]): Promise<FakeUpstream> {
  const server = await startFakeUpstream(script);
  cleanups.push(server.close);
  return server;
}

async function health(breaker = {}) {
  const clock = fakeClock();
  const service = await createDeploymentHealth({ clock, breaker });
  cleanups.push(service.close);
  const stateOf = (deploymentId: string) =>
    service.snapshot().find((s) => s.deploymentId === deploymentId)?.state;
  const figures = (deploymentId: string) => service.collect().find((f) => f.deploymentId === deploymentId);
  return { clock, service, stateOf, figures };
}

// checks that are not about timeouts wait 10 s, so that a busy machine cannot fail one
const models = answerJson(200, { object: "list", data: [{ id: "m", object: "model" }] });

describe("active health checks", () => {
  it("open the breaker of an upstream that fails them, and the probe after the cool-down closes it", async () => {
    const server = await upstream([
      answerJson(500, { error: "down" }),
      answerJson(503, { error: "down" }),
      models,
    ]);
    const { clock, service, stateOf, figures } = await health({ failureThreshold: 2, coolDownMs: 30_000 });
    service.setActiveChecks([
      {
        deploymentId: "dep_a",
        baseUrl: `${server.baseUrl}/`,
        apiKey: "sk-upstream",
        intervalMs: 5,
        timeoutMs: 10_000,
      },
    ]);

    await eventually(() => stateOf("dep_a") === "open", "the breaker opens after two failed checks");
    expect(server.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ["GET", "/v1/models", "Bearer sk-upstream"],
      ["GET", "/v1/models", "Bearer sk-upstream"],
    ]);
    expect(service.tryAcquire("dep_a")).toBe(false);

    clock.advance(30_000);
    await eventually(() => stateOf("dep_a") === "closed", "the check after the cool-down closes it");
    expect(service.tryAcquire("dep_a")).toBe(true);
    service.report("dep_a", { ok: true, latencyMs: 3 });
    expect(figures("dep_a")).toMatchObject({
      checks: { status_5xx: 2, connect: 0, timeout: 0, status_429: 0 },
      // checks are not requests
      attempts: { ok: 1, status_5xx: 0 },
      opened: 1,
    });
    // the checks go on every 5 ms once it is closed: one or more may have passed meanwhile
    expect(figures("dep_a")?.checks.ok).toBeGreaterThanOrEqual(1);
  });

  it("count a connection refused and a check past its timeout, with one check in flight at a time", async () => {
    const dropping = await startDroppingServer();
    cleanups.push(dropping.close);
    let open = 0;
    let mostOpen = 0;
    const slow = await upstream(async (response, request) => {
      open += 1;
      mostOpen = Math.max(mostOpen, open);
      await request.closed;
      open -= 1;
      response.end();
    });
    const { service, figures } = await health({ failureThreshold: 1_000 });
    service.setActiveChecks([
      {
        deploymentId: "dep_refused",
        baseUrl: dropping.baseUrl,
        apiKey: null,
        intervalMs: 5,
        timeoutMs: 10_000,
      },
      { deploymentId: "dep_slow", baseUrl: slow.baseUrl, apiKey: null, intervalMs: 1, timeoutMs: 50 },
    ]);
    await eventually(
      () =>
        (figures("dep_slow")?.checks.timeout ?? 0) >= 3 && (figures("dep_refused")?.checks.connect ?? 0) >= 2,
      "timeouts and refused connections counted",
    );
    expect(mostOpen).toBe(1);
    expect(slow.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("treat a 429 with Retry-After as a cool-down and an answer below 500 as alive", async () => {
    const server = await upstream([
      answerJson(429, { error: "slow down" }, { "retry-after": "20" }),
      answerJson(404, { error: "no /models here" }),
    ]);
    const { clock, service, stateOf, figures } = await health({ failureThreshold: 1 });
    service.setActiveChecks([
      { deploymentId: "dep_a", baseUrl: server.baseUrl, apiKey: null, intervalMs: 5, timeoutMs: 10_000 },
    ]);
    await eventually(() => figures("dep_a")?.checks.status_429 === 1, "the 429 counted");
    expect(service.snapshot()).toEqual([
      {
        deploymentId: "dep_a",
        state: "closed",
        coolingUntil: new Date(clock.now().getTime() + 20_000),
        consecutiveFailures: 0,
      },
    ]);
    clock.advance(20_000);
    // the 404 answers every check from then on, every 5 ms: more than one may pass between polls
    await eventually(() => (figures("dep_a")?.checks.ok ?? 0) >= 1, "the 404 counted as alive");
    expect(stateOf("dep_a")).toBe("closed");
  });

  it("a probe check cut short by close() frees the probe slot rather than holding it for minutes", async () => {
    const server = await upstream([answerJson(500, { error: "down" }), neverAnswer()]);
    const clock = fakeClock();
    // closed by the test itself, not by the cleanups
    const service = await createDeploymentHealth({
      clock,
      breaker: { failureThreshold: 1, coolDownMs: 30_000 },
    });
    const stateOf = (deploymentId: string) =>
      service.snapshot().find((s) => s.deploymentId === deploymentId)?.state;
    service.setActiveChecks([
      { deploymentId: "dep_a", baseUrl: server.baseUrl, apiKey: null, intervalMs: 5, timeoutMs: 10_000 },
    ]);
    await eventually(() => stateOf("dep_a") === "open", "the failed check opens the breaker");
    clock.advance(30_000);
    await eventually(() => server.requests.length === 2, "the probe check is out");
    expect(service.tryAcquire("dep_a")).toBe(false);
    await service.close();
    expect(stateOf("dep_a")).toBe("half_open");
    expect(service.tryAcquire("dep_a")).toBe(true);
  });

  it("stop for a deployment taken off the list, and close() leaves no timer or socket behind", async () => {
    // sockets and servers by kind; earlier tests' may still be closing, so "no more than before"
    const resources = () => {
      const counts = new Map<string, number>();
      for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
      return counts;
    };
    const addedSince = (before: Map<string, number>) =>
      [...resources()].filter(([kind, count]) => count > (before.get(kind) ?? 0)).map(([kind]) => kind);
    const before = resources();
    const server = await upstream(models);
    const clock = fakeClock();
    const service = await createDeploymentHealth({ clock });
    service.setActiveChecks([
      { deploymentId: "dep_a", baseUrl: server.baseUrl, apiKey: null, intervalMs: 5, timeoutMs: 10_000 },
      { deploymentId: "dep_b", baseUrl: server.baseUrl, apiKey: null, intervalMs: 5, timeoutMs: 10_000 },
    ]);
    const checked = (id: string) => service.collect().find((f) => f.deploymentId === id)?.checks.ok ?? 0;
    await eventually(() => checked("dep_a") >= 2 && checked("dep_b") >= 2, "both checked");
    service.setActiveChecks([
      { deploymentId: "dep_b", baseUrl: server.baseUrl, apiKey: null, intervalMs: 5, timeoutMs: 10_000 },
    ]);
    const stoppedAt = checked("dep_a");
    const bAt = checked("dep_b");
    await eventually(() => checked("dep_b") >= bAt + 3, "dep_b still checked");
    // a check of dep_a in flight when it was removed may still end and count
    expect(checked("dep_a")).toBeLessThanOrEqual(stoppedAt + 1);

    await service.close();
    const afterClose = server.requests.length;
    // the check timers are unref'd, so no resource list shows them: twenty intervals without
    // a request tell that they stopped
    await sleep(100);
    expect(server.requests.length).toBe(afterClose);
    await server.close();
    cleanups.splice(0);
    // the checks' keep-alive sockets are closed with them
    for (let attempt = 0; attempt < 100 && addedSince(before).length > 0; attempt++) await sleep(10);
    expect(addedSince(before)).toEqual([]);
  });
});
