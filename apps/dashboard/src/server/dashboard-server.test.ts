import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
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
