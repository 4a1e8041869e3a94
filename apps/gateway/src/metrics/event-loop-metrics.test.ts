import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { startTestGateway } from "../testing/start-test-gateway.ts";

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
});

afterAll(async () => {
  await gateway?.close();
});

/** The nodejs_eventloop_lag_*_seconds gauges of one scrape (p50, p90, p99, min, max, …), in seconds. */
async function eventLoopLag(): Promise<Record<string, number>> {
  const response = await gateway.scrapeMetrics();
  expect(response.status).toBe(200);
  const lag: Record<string, number> = {};
  for (const [, name, value] of (await response.text()).matchAll(
    /^nodejs_eventloop_lag_(\w+)_seconds (\S+)$/gm,
  )) {
    lag[name as string] = Number(value);
  }
  return lag;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("GET /metrics: event-loop delay", () => {
  it("shows a stall of the loop in the window it happened in, and not in the next", async () => {
    await eventLoopLag(); // starts a window
    await pause(50);
    // this test runs in the gateway's process: hold its event loop for 150 ms
    const until = performance.now() + 150;
    while (performance.now() < until) {
      /* busy */
    }
    await pause(50);
    const stalled = await eventLoopLag();
    // prom-client's runtime defaults, under the names the dashboard's overview reads
    expect(Object.keys(stalled)).toEqual(expect.arrayContaining(["max", "p50", "p99"]));
    expect(stalled.max).toBeGreaterThanOrEqual(0.13);

    await pause(100);
    const calm = await eventLoopLag();
    expect(calm.max).toBeLessThan(0.13);
    expect(calm.p50).toBeLessThanOrEqual(calm.p99 as number);
    expect(calm.p99).toBeLessThanOrEqual(calm.max as number);
  });
});
