import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { createDeploymentHealthReader } from "./deployment-health-reader.ts";

const TOKEN = "metrics-token-for-the-reader-test-0123";
let server: Server;
let baseUrl = "";
/** what the fake gateway answers next: status and body */
let answer: { status: number; body: unknown } = { status: 200, body: {} };
const seen: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request.headers.authorization);
    if (request.url !== "/internal/deployments/health") {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(answer.status, { "content-type": "application/json" })
      .end(JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const reader = (metricsToken: string | null = TOKEN, clock = fakeClock()) =>
  createDeploymentHealthReader({ clock }, { baseUrl, metricsToken, cacheMs: 2_000 });

describe("the dashboard's reader of a gateway's breakers", () => {
  it("reads each breaker with the metrics token, and asks again only after two seconds", async () => {
    answer = {
      status: 200,
      body: {
        available: true,
        deployments: [
          {
            deployment_id: "dep_a",
            state: "open",
            cooling_until: "2026-01-15T12:00:30.000Z",
            consecutive_failures: 5,
          },
          { deployment_id: "dep_b", state: "closed", cooling_until: null, consecutive_failures: 0 },
        ],
      },
    };
    const clock = fakeClock();
    const health = reader(TOKEN, clock);
    const before = seen.length;
    const reading = await health.read();
    expect(reading).toEqual({
      isKnown: true,
      checkedAt: clock.now(),
      deployments: [
        {
          deploymentId: "dep_a",
          state: "open",
          coolingUntil: new Date("2026-01-15T12:00:30.000Z"),
          consecutiveFailures: 5,
        },
        { deploymentId: "dep_b", state: "closed", coolingUntil: null, consecutiveFailures: 0 },
      ],
    });
    expect(seen.slice(before)).toEqual([`Bearer ${TOKEN}`]);
    await Promise.all([health.read(), health.read()]);
    expect(seen.length - before).toBe(1);
    clock.advance(2_000);
    await health.read();
    expect(seen.length - before).toBe(2);
  });

  it("says why it does not know: no token, no route, a refused token, no breakers, a bad answer", async () => {
    const before = seen.length;
    expect(await reader(null).read()).toMatchObject({ isKnown: false, problem: "no_token" });
    expect(seen.length).toBe(before); // nothing was asked without a token

    answer = { status: 404, body: {} };
    expect(await reader().read()).toMatchObject({ isKnown: false, problem: "not_enabled" });
    answer = { status: 401, body: { error: { code: "invalid_metrics_token" } } };
    expect(await reader().read()).toMatchObject({ isKnown: false, problem: "refused" });
    answer = { status: 200, body: { available: false, deployments: [] } };
    expect(await reader().read()).toMatchObject({ isKnown: false, problem: "not_kept" });
    answer = { status: 200, body: { available: true, deployments: [{ deployment_id: 7 }] } };
    expect(await reader().read()).toMatchObject({ isKnown: false, problem: "unavailable" });
    answer = { status: 500, body: {} };
    expect(await reader().read()).toMatchObject({ isKnown: false, problem: "unavailable" });
  });
});
