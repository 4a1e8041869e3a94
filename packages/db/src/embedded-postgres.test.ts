import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded-postgres.ts";

const started: EmbeddedPostgres[] = [];
let dataDir = "";
afterAll(async () => {
  for (const server of started) await server.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("keeps its data across restarts, records its port, and is joined while it runs", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-embedded-"));
    await chmod(dataDir, 0o755);

    const first = await startEmbeddedPostgres({ dataDir });
    started.push(first);
    expect(first.ownsServer).toBe(true);
    expect(first.url).not.toContain("password"); // a generated password, not a default one
    const recorded = JSON.parse(await readFile(path.join(dataDir, "postgres.json"), "utf8"));
    expect(recorded.port).toBe(first.port);
    await query(first.url, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");

    const joined = await startEmbeddedPostgres({ dataDir });
    expect(joined.ownsServer).toBe(false);
    expect(joined.port).toBe(first.port);
    await joined.stop(); // not its server: must not stop it
    expect(await query(first.url, "SELECT value FROM kept")).toEqual([{ value: "still here" }]);

    await first.stop();
    await expect(query(first.url, "SELECT 1")).rejects.toThrow();

    const second = await startEmbeddedPostgres({ dataDir });
    started.push(second);
    expect(second.ownsServer).toBe(true);
    expect(second.port).toBe(first.port);
    expect(await query(second.url, "SELECT value FROM kept")).toEqual([{ value: "still here" }]);
    await second.stop();
  });

  it("refuses connections without the generated password", async () => {
    const server = started.at(-1);
    if (!server) throw new Error("previous test did not start a server");
    const restarted = await startEmbeddedPostgres({ dataDir });
    started.push(restarted);
    const wrong = restarted.url.replace(/:[^:@/]+@/, ":wrong@");
    await expect(query(wrong, "SELECT 1")).rejects.toThrow(/password authentication failed/);
  });
});
