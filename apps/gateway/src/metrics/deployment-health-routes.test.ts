import { DeploymentHealthReportSchema } from "@dsc/api-client";
import { createDeploymentHealth, type DeploymentHealthService } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, startTestGateway, TEST_METRICS_TOKEN } from "../testing/start-test-gateway.ts";

const clock = fakeClock(new Date("2026-06-01T12:00:00Z"));
let t: TestDatabase;
let health: DeploymentHealthService;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  t = await createTestDatabase();
  health = await createDeploymentHealth({ clock, breaker: { failureThreshold: 2, coolDownMs: 30_000 } });
  gateway = await startTestGateway({ db: t.db, clock, deploymentHealth: health });
});
afterAll(async () => {
  await gateway?.close();
  await health?.close();
});

const read = (authorization?: string) =>
  fetch(`${gateway.url}/internal/deployments/health`, {
    headers: authorization === undefined ? {} : { authorization },
  });

/** Two failures in a row open a breaker (failureThreshold 2). */
function failTwice(deploymentId: string) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    expect(health.tryAcquire(deploymentId)).toBe(true);
    health.report(deploymentId, { ok: false, reason: "status_5xx", latencyMs: 5 });
  }
}

describe("GET /internal/deployments/health", () => {
  it("tells the metrics token's holder each breaker this gateway keeps, open ones with their cool-down", async () => {
    failTwice("dep_failing");
    expect(health.tryAcquire("dep_fine")).toBe(true);
    health.report("dep_fine", { ok: true, latencyMs: 5 });

    const response = await read(`Bearer ${TEST_METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = DeploymentHealthReportSchema.parse(await response.json());
    expect(body.available).toBe(true);
    expect(body.deployments).toEqual(
      expect.arrayContaining([
        {
          deployment_id: "dep_failing",
          state: "open",
          cooling_until: new Date(clock.now().getTime() + 30_000).toISOString(),
          consecutive_failures: 2,
        },
        { deployment_id: "dep_fine", state: "closed", cooling_until: null, consecutive_failures: 0 },
      ]),
    );
  });

  it("refuses a request without the metrics token, with a wrong one, and with an API key", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "free" });
    for (const authorization of [undefined, "Bearer not-the-metrics-token-0123456789", `Bearer ${secret}`]) {
      const response = await read(authorization);
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: unknown };
      expect(body.error).toMatchObject({ code: "invalid_metrics_token" });
      expect(JSON.stringify(body)).not.toContain("dep_failing");
    }
  });

  it("is not served at all by a gateway without a metrics token", async () => {
    const bare = await startTestGateway({
      db: t.db,
      clock,
      deploymentHealth: health,
      gateway: { metricsToken: null },
    });
    try {
      const response = await fetch(`${bare.url}/internal/deployments/health`, {
        headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
      });
      expect(response.status).toBe(404);
      await response.arrayBuffer();
    } finally {
      await bare.close();
    }
  });
});
