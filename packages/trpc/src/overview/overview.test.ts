import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  cliActor,
  createApiKey,
  createGatewayHealthReader,
  insertUsageEvents,
  type UsageRecord,
} from "@dsc/core";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { freePort } from "../../../../test/support/free-port.ts";
import { appRouter } from "../app-router.ts";
import type { SessionUser } from "../context.ts";
import { createDashboardWorld, type DashboardWorld, TEST_PEPPER } from "../testing/dashboard-world.ts";

const NOW = new Date("2026-03-10T15:45:00Z");
const clock = fakeClock(NOW);
let t: TestDatabase;
let w: DashboardWorld;
let gateway: Server;
let gatewayUrl: string;

let sequence = 0;
function usage(organizationId: string, at: string, status = 200): UsageRecord {
  sequence += 1;
  return {
    requestId: `req_trpc_overview_${sequence}`,
    organizationId,
    apiKeyId: null,
    oauthClientId: null,
    modelId: "deepseek-chst-1.0",
    endpoint: "/v1/chat/completions",
    status,
    latencyMs: 50,
    promptTokens: 100,
    completionTokens: 20,
    cached: false,
    endUserId: null,
    createdAt: new Date(at),
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db, clock);
  await insertUsageEvents(t.db, [
    usage(w.ownOrg, "2026-03-10T08:00:00Z"),
    usage(w.ownOrg, "2026-03-10T15:30:00Z", 429),
    usage(w.ownOrg, "2026-03-09T10:00:00Z"),
    usage(w.otherOrg, "2026-03-10T09:00:00Z", 500),
    usage(w.otherOrg, "2026-03-10T09:05:00Z"),
    usage(w.otherOrg, "2026-03-10T09:10:00Z"),
  ]);
  const deps = { db: t.db, clock, pepper: TEST_PEPPER };
  await createApiKey(deps, { organizationId: w.ownOrg, actor: cliActor() });
  await createApiKey(deps, { organizationId: w.otherOrg, actor: cliActor() });
  await createApiKey(deps, { organizationId: w.otherOrg, actor: cliActor() });
  // a gateway that is up but draining, with its metrics behind the token
  gateway = createServer((request, response) => {
    if (request.url === "/readyz") {
      response.writeHead(503, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: "unavailable", checks: { database: "up", accepting: "down" } }));
    } else if (request.url === "/metrics" && request.headers.authorization === `Bearer ${"m".repeat(32)}`) {
      response.end("dsc_rate_limiter_store_redis 0\ndsc_rate_limiter_fallback_active 0\n");
    } else {
      response.writeHead(401).end();
    }
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
});

afterAll(async () => {
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
});

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "passed";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

/** A caller whose dashboard reaches a gateway at `baseUrl`. */
function withGateway(user: SessionUser, baseUrl: string) {
  return appRouter.createCaller({
    db: t.db,
    clock,
    pepper: TEST_PEPPER,
    revocations: null,
    user,
    origin: "192.0.2.10",
    gatewayHealth: createGatewayHealthReader(
      { clock },
      { baseUrl, metricsToken: "m".repeat(32), timeoutMs: 500 },
    ),
  });
}

describe("overview.traffic", () => {
  it("shows a developer their own organization's requests today, never another's", async () => {
    const traffic = await w.as("DEVELOPER").overview.traffic();
    expect(traffic.today).toEqual({ requests: 2, errors: 1, errorRate: 0.5 });
    expect(traffic.sameHoursYesterday).toEqual({ requests: 1, errors: 0, errorRate: 0 });
    expect(traffic.hours).toHaveLength(16);
    expect(traffic.hours[8]).toMatchObject({ requests: 1 });
    expect(traffic.hours[9]).toMatchObject({ requests: 0 });
  });

  it("shows an admin the whole platform, and is not a compliance officer's", async () => {
    const traffic = await w.as("ADMIN").overview.traffic();
    expect(traffic.today).toEqual({ requests: 5, errors: 2, errorRate: 0.4 });
    expect(traffic.hours[9]).toMatchObject({ requests: 3, errors: 1 });
    expect(await codeOf(w.as("COMPLIANCE").overview.traffic())).toBe("FORBIDDEN");
  });

  it("refuses a developer without an organization", async () => {
    const orphan = w.caller({ ...w.people.DEVELOPER, organizationId: null });
    expect(await codeOf(orphan.overview.traffic())).toBe("FORBIDDEN");
  });
});

describe("overview.activeKeys", () => {
  it("counts a developer's organization's keys, and every organization's for the other roles", async () => {
    expect(await w.as("DEVELOPER").overview.activeKeys()).toEqual({ activeKeys: 1 });
    expect(await w.as("ADMIN").overview.activeKeys()).toEqual({ activeKeys: 3 });
    expect(await w.as("COMPLIANCE").overview.activeKeys()).toEqual({ activeKeys: 3 });
  });
});

describe("overview.quota", () => {
  it("gives a developer their organization's tokens this month against its quota", async () => {
    const quota = await w.as("DEVELOPER").overview.quota();
    expect(quota).toEqual([
      expect.objectContaining({
        organizationId: w.ownOrg,
        tokensThisMonth: 360,
        monthlyTokenQuota: 1_000_000,
      }),
    ]);
  });

  it("gives an admin the organizations nearest their quota, leaving out those without one", async () => {
    const quota = await w.as("ADMIN").overview.quota();
    // the other organization's tier (pro) has no monthly quota
    expect(quota.map((row) => row.organizationId)).toEqual([w.ownOrg]);
    expect(await codeOf(w.as("COMPLIANCE").overview.quota())).toBe("FORBIDDEN");
  });
});

describe("overview.gatewayHealth", () => {
  it("reads the gateway for admins and compliance officers, not for developers", async () => {
    const health = await withGateway(w.people.ADMIN, gatewayUrl).overview.gatewayHealth();
    expect(health).toMatchObject({
      isReachable: true,
      isReady: false,
      checks: expect.arrayContaining([{ name: "accepting", isUp: false }]),
      metrics: { limiterStore: "memory", isLimiterFallbackActive: false },
    });
    expect(await withGateway(w.people.COMPLIANCE, gatewayUrl).overview.gatewayHealth()).toMatchObject({
      isReachable: true,
    });
    expect(await codeOf(withGateway(w.people.DEVELOPER, gatewayUrl).overview.gatewayHealth())).toBe(
      "FORBIDDEN",
    );
  });

  it("answers an unreachable gateway as such, and null where the dashboard has no reader", async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    expect(await withGateway(w.people.ADMIN, nowhere).overview.gatewayHealth()).toMatchObject({
      isReachable: false,
      problem: "unreachable",
    });
    expect(await w.as("ADMIN").overview.gatewayHealth()).toBeNull();
  });
});
