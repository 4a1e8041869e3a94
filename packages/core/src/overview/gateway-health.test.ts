import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { freePort } from "../../../../test/support/free-port.ts";
import { createGatewayHealthReader, type GatewayHealth } from "./gateway-health.ts";

const TOKEN = "overview-metrics-token-0123456789abcdef";

const EXPOSITION = `# HELP dsc_rate_limiter_store_redis 1 when rate limits are kept in Redis
# TYPE dsc_rate_limiter_store_redis gauge
dsc_rate_limiter_store_redis 1
dsc_rate_limiter_fallback_active 1
dsc_rate_limiter_fallbacks_total 2
dsc_rate_limiter_fallback_checks_total 17
nodejs_eventloop_lag_p50_seconds 0.0104
nodejs_eventloop_lag_p99_seconds 0.022
nodejs_eventloop_lag_max_seconds 0.26
dsc_usage_events_pending 3
dsc_usage_events_dropped_total 0
`;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A stand-in gateway: answers /readyz and /metrics as the handler says, counting requests. */
async function startGateway(handler: Handler): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? "");
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A healthy gateway that asks for the token on /metrics, as the real one does. */
const healthyGateway: Handler = (request, response) => {
  if (request.url === "/readyz") {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ status: "ready", checks: { database: "up", master_key: "up" } }));
  } else if (request.url === "/metrics") {
    if (request.headers.authorization !== `Bearer ${TOKEN}`) {
      response.writeHead(401).end();
      return;
    }
    response.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    response.end(EXPOSITION);
  } else {
    response.writeHead(404).end();
  }
};

function reachable(health: GatewayHealth) {
  if (!health.isReachable) throw new Error(`expected a reachable gateway, got ${health.problem}`);
  return health;
}

describe("the gateway's health, as the overview reads it", () => {
  it("reads readiness with its checks and the limiter, event-loop and usage gauges", async () => {
    const gateway = await startGateway(healthyGateway);
    const reader = createGatewayHealthReader(
      { clock: fakeClock() },
      { baseUrl: gateway.url, metricsToken: TOKEN },
    );
    const health = reachable(await reader.read());
    expect(health.isReady).toBe(true);
    expect(health.checks).toEqual([
      { name: "database", isUp: true },
      { name: "master_key", isUp: true },
    ]);
    expect(health.metricsProblem).toBeNull();
    expect(health.metrics).toEqual({
      limiterStore: "redis",
      isLimiterFallbackActive: true,
      limiterFallbacks: 2,
      limiterFallbackChecks: 17,
      eventLoopDelayP50Ms: 0.4,
      eventLoopDelayP99Ms: 12,
      eventLoopDelayMaxMs: 250,
      usageEventsPending: 3,
      usageEventsDropped: 0,
    });
  });

  it("shows the slowest worker's event loop when the gateway runs several processes", async () => {
    // GATEWAY_WORKERS=3: counters and queues summed by the primary, the process series per worker
    const clusterExposition = `dsc_rate_limiter_store_redis 1
dsc_rate_limiter_fallback_active 0
dsc_rate_limiter_fallbacks_total 0
dsc_rate_limiter_fallback_checks_total 0
nodejs_eventloop_lag_p50_seconds{worker="0"} 0.0101
nodejs_eventloop_lag_p50_seconds{worker="1"} 0.0104
nodejs_eventloop_lag_p50_seconds{worker="2"} 0.0102
nodejs_eventloop_lag_p99_seconds{worker="0"} 0.011
nodejs_eventloop_lag_p99_seconds{worker="1"} 0.61
nodejs_eventloop_lag_p99_seconds{worker="2"} 0.012
nodejs_eventloop_lag_max_seconds{worker="0"} 0.02
nodejs_eventloop_lag_max_seconds{worker="1"} 0.01
nodejs_eventloop_lag_max_seconds{worker="2"} 1.51
dsc_usage_events_pending 9
dsc_usage_events_dropped_total 0
`;
    const gateway = await startGateway((request, response) =>
      request.url === "/metrics"
        ? response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(clusterExposition)
        : healthyGateway(request, response),
    );
    const health = reachable(
      await createGatewayHealthReader(
        { clock: fakeClock() },
        { baseUrl: gateway.url, metricsToken: TOKEN },
      ).read(),
    );
    expect(health.metrics).toMatchObject({
      limiterStore: "redis",
      eventLoopDelayP50Ms: 0.4,
      eventLoopDelayP99Ms: 600,
      eventLoopDelayMaxMs: 1500,
      usageEventsPending: 9,
    });
  });

  it("shows an unready gateway's 503 as reachable but not ready, naming the check that is down", async () => {
    const gateway = await startGateway((_request, response) => {
      response.writeHead(503, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: "unavailable", checks: { database: "up", accepting: "down" } }));
    });
    const health = reachable(
      await createGatewayHealthReader(
        { clock: fakeClock() },
        { baseUrl: gateway.url, metricsToken: null },
      ).read(),
    );
    expect(health.isReady).toBe(false);
    expect(health.checks).toContainEqual({ name: "accepting", isUp: false });
    // without a token /metrics is not even asked
    expect(health.metricsProblem).toBe("no_token");
    expect(gateway.requests).toEqual(["/readyz"]);
  });

  it("tells a refused token from a gateway that has no /metrics", async () => {
    const gateway = await startGateway(healthyGateway);
    const refused = reachable(
      await createGatewayHealthReader(
        { clock: fakeClock() },
        { baseUrl: gateway.url, metricsToken: "wrong" },
      ).read(),
    );
    expect(refused.metricsProblem).toBe("refused");
    expect(refused.metrics).toBeNull();
    const withoutMetrics = await startGateway((request, response) =>
      request.url === "/metrics" ? response.writeHead(404).end() : healthyGateway(request, response),
    );
    const notEnabled = reachable(
      await createGatewayHealthReader(
        { clock: fakeClock() },
        { baseUrl: withoutMetrics.url, metricsToken: TOKEN },
      ).read(),
    );
    expect(notEnabled.metricsProblem).toBe("not_enabled");
    expect(notEnabled.isReady).toBe(true);
  });

  it("is unreachable when nothing listens", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const health = await createGatewayHealthReader(
      { clock: fakeClock() },
      { baseUrl: url, metricsToken: TOKEN },
    ).read();
    expect(health).toMatchObject({ isReachable: false, problem: "unreachable" });
  });

  it("gives up on a gateway that does not answer within the timeout", async () => {
    // accepts the connection and never answers
    const gateway = await startGateway(() => {});
    const started = Date.now();
    const health = await createGatewayHealthReader(
      { clock: fakeClock() },
      { baseUrl: gateway.url, metricsToken: TOKEN, timeoutMs: 300 },
    ).read();
    expect(health).toMatchObject({ isReachable: false, problem: "timeout" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("keeps readiness when only /metrics is slow, and says the metrics are unavailable", async () => {
    const gateway = await startGateway((request, response) => {
      if (request.url === "/readyz") healthyGateway(request, response);
      // /metrics never answers
    });
    const health = reachable(
      await createGatewayHealthReader(
        { clock: fakeClock() },
        { baseUrl: gateway.url, metricsToken: TOKEN, timeoutMs: 300 },
      ).read(),
    );
    expect(health.isReady).toBe(true);
    expect(health.metricsProblem).toBe("unavailable");
  });

  it("refuses an answer that is not a readiness answer, or a metrics answer past its bound", async () => {
    const gateway = await startGateway((request, response) => {
      if (request.url === "/readyz") response.writeHead(200).end("<html>a proxy's page</html>");
      else response.writeHead(200).end("x".repeat(600 * 1024));
    });
    const health = await createGatewayHealthReader(
      { clock: fakeClock() },
      { baseUrl: gateway.url, metricsToken: TOKEN },
    ).read();
    expect(health).toMatchObject({ isReachable: false, problem: "bad_answer" });
    const bounded = await startGateway((request, response) => {
      if (request.url === "/readyz") healthyGateway(request, response);
      else response.writeHead(200).end("x".repeat(5 * 1024 * 1024));
    });
    const tooLarge = reachable(
      await createGatewayHealthReader(
        { clock: fakeClock() },
        { baseUrl: bounded.url, metricsToken: TOKEN },
      ).read(),
    );
    expect(tooLarge.metricsProblem).toBe("unavailable");
  });

  it("asks the gateway once per cache period, however many read at once", async () => {
    const gateway = await startGateway(healthyGateway);
    const clock = fakeClock();
    const reader = createGatewayHealthReader(
      { clock },
      { baseUrl: `${gateway.url}/`, metricsToken: TOKEN, cacheMs: 5_000 },
    );
    const answers = await Promise.all(Array.from({ length: 10 }, () => reader.read()));
    expect(new Set(answers).size).toBe(1);
    expect(gateway.requests.sort()).toEqual(["/metrics", "/readyz"]);
    clock.advance(4_999);
    await reader.read();
    expect(gateway.requests).toHaveLength(2);
    clock.advance(1);
    await reader.read();
    expect(gateway.requests).toHaveLength(4);
  });
});
