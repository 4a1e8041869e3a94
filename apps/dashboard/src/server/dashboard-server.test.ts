import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { parseDashboardEnv } from "../env.ts";
import { type DashboardServer, startDashboardServer } from "./dashboard-server.ts";

let t: TestDatabase;
let dataDir: string;
const started: DashboardServer[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-dashboard-"));
});

afterAll(async () => {
  for (const server of started) {
    await server.revocations.close();
    await server.db.$disconnect();
  }
  await rm(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  const server = await startDashboardServer(
    parseDashboardEnv({ DATABASE_URL: t.url, DATA_DIR: dataDir, ...env }),
  );
  started.push(server);
  return server;
}

describe("startDashboardServer", () => {
  it("generates the session secret and pepper into DATA_DIR once, outside production", async () => {
    const first = await start({});
    const second = await start({});
    expect(first.nextAuthSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.nextAuthSecret).toBe(first.nextAuthSecret);
    expect(second.pepper).toBe(first.pepper);
    const file = path.join(dataDir, "secrets", "nextauth-secret");
    expect((await readFile(file, "utf8")).trim()).toBe(first.nextAuthSecret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await first.db.tier.count()).toBeGreaterThan(0);
  });

  it("uses the configured secrets when given", async () => {
    const server = await start({
      NODE_ENV: "production",
      NEXTAUTH_SECRET: "s".repeat(32),
      API_KEY_PEPPER: "p".repeat(32),
    });
    expect(server.nextAuthSecret).toBe("s".repeat(32));
    expect(server.pepper).toBe("p".repeat(32));
  });

  it("loads the master keys as the gateway does: generated into DATA_DIR, or ENCRYPTION_KEY", async () => {
    const generated = await start({});
    const file = path.join(dataDir, "secrets", "encryption-key-v1");
    // the gateway's own file (base64url), so both open the same logs
    expect(generated.keyring?.current.key).toEqual(
      Buffer.from((await readFile(file, "utf8")).trim(), "base64"),
    );
    const configured = Buffer.alloc(32, 3).toString("base64");
    const production = await start({
      NODE_ENV: "production",
      NEXTAUTH_SECRET: "s".repeat(32),
      API_KEY_PEPPER: "p".repeat(32),
      ENCRYPTION_KEY: `2:${configured}`,
    });
    expect(production.keyring?.current).toMatchObject({ version: 2 });
    // without the variable in production, the dashboard starts, and opens no log
    const keyless = await start({
      NODE_ENV: "production",
      NEXTAUTH_SECRET: "s".repeat(32),
      API_KEY_PEPPER: "p".repeat(32),
    });
    expect(keyless.keyring).toBeNull();
  });
});

describe("the overview's gateway health", () => {
  it("sends the metrics token only to a GATEWAY_URL that is set, not to the public address", async () => {
    // a stand-in gateway that notes which paths were asked with which authorization
    const seen: string[] = [];
    const gateway = createServer((request, response) => {
      seen.push(`${request.url} ${request.headers.authorization ?? "none"}`);
      if (request.url === "/readyz") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ status: "ready", checks: { database: "up" } }));
      } else {
        response.writeHead(200, { "content-type": "text/plain" }).end("dsc_rate_limiter_store_redis 0\n");
      }
    });
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    const address = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    const token = "m".repeat(32);
    try {
      const byDefault = await start({ GATEWAY_PUBLIC_URL: address, METRICS_TOKEN: token });
      expect(await byDefault.gatewayHealth.read()).toMatchObject({
        isReachable: true,
        isReady: true,
        metrics: null,
        metricsProblem: "no_token",
      });
      expect(seen).toEqual(["/readyz none"]);

      seen.length = 0;
      const named = await start({
        GATEWAY_PUBLIC_URL: "https://api.example.com",
        GATEWAY_URL: address,
        METRICS_TOKEN: token,
      });
      expect(await named.gatewayHealth.read()).toMatchObject({ isReachable: true, metricsProblem: null });
      expect(seen.sort()).toEqual([`/metrics Bearer ${token}`, "/readyz none"]);
    } finally {
      await new Promise((resolve) => gateway.close(resolve));
    }
  });
});
