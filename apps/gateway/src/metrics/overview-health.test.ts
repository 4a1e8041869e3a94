import { createGatewayHealthReader, systemClock } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { startTestGateway, TEST_METRICS_TOKEN } from "../testing/start-test-gateway.ts";

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
});

afterAll(async () => {
  await gateway?.close();
});

/**
 * The dashboard's overview reads this gateway's /readyz and /metrics by series name: a series
 * renamed here must fail this test, not leave the overview quietly blank.
 */
describe("the dashboard's overview reading this gateway", () => {
  it("finds readiness and every gauge it shows in the gateway's own answers", async () => {
    const reader = createGatewayHealthReader(
      { clock: systemClock },
      { baseUrl: gateway.url, metricsToken: TEST_METRICS_TOKEN },
    );
    const health = await reader.read();
    expect(health).toMatchObject({ isReachable: true, isReady: true, metricsProblem: null });
    if (!health.isReachable) return;
    expect(health.checks).toContainEqual({ name: "database", isUp: true });
    expect(health.metrics).toEqual({
      limiterStore: "memory",
      isLimiterFallbackActive: false,
      limiterFallbacks: 0,
      limiterFallbackChecks: 0,
      eventLoopDelayP50Ms: expect.any(Number),
      eventLoopDelayP99Ms: expect.any(Number),
      eventLoopDelayMaxMs: expect.any(Number),
      usageEventsPending: expect.any(Number),
      usageEventsDropped: 0,
    });
  });
});
