import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded-postgres.ts";

const started: EmbeddedPostgres[] = [];
const tempDirs: string[] = [];
let dataDir = "";
afterAll(async () => {
  for (const server of started) await server.stop();
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

/** A new temp folder, passable by others (mode 0755) unless `mode` says otherwise. */
async function tempDir(mode = 0o755) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dsc-embedded-"));
  tempDirs.push(dir);
  await chmod(dir, mode);
  return dir;
}

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
    // a DATA_DIR that does not exist yet, nested: as root, PostgreSQL's user must pass through
    // every folder made for it (secrets/ alone stays private)
    dataDir = path.join(await tempDir(), "new", "data");

    const first = await startEmbeddedPostgres({ dataDir });
    started.push(first);
    expect(first.ownsServer).toBe(true);
    expect(first.url).not.toContain("password"); // a generated password, not a default one
    expect((await stat(path.join(dataDir, "secrets"))).mode & 0o777).toBe(0o700);
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

describe("embedded PostgreSQL left running by a process that died", () => {
  it("is taken over by the next process, which then stops it", async () => {
    const dir = await tempDir();
    const first = await startEmbeddedPostgres({ dataDir: dir });
    started.push(first);
    const recorded = JSON.parse(await readFile(path.join(dir, "postgres.json"), "utf8"));
    expect(recorded).toEqual({ port: first.port, ownerPid: process.pid });
    // as if the process that started it had been SIGKILLed: its pid no longer runs
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(path.join(dir, "postgres.json"), JSON.stringify({ port: first.port, ownerPid: gone }));

    const next = await startEmbeddedPostgres({ dataDir: dir });
    started.push(next);
    expect(next.ownsServer).toBe(true);
    expect(next.port).toBe(first.port);
    await next.stop();
    await expect(query(first.url, "SELECT 1")).rejects.toThrow();
    expect(existsSync(path.join(dir, "postgres", "postmaster.pid"))).toBe(false);
  });
});

describe.runIf(process.getuid?.() === 0)("embedded PostgreSQL as root", () => {
  it("opens a data folder an earlier version made private, and names a closed parent it must not touch", async () => {
    const base = await tempDir();
    const privateDataDir = path.join(base, "data");
    await mkdir(privateDataDir, { mode: 0o700 });
    await chmod(privateDataDir, 0o700);
    const server = await startEmbeddedPostgres({ dataDir: privateDataDir });
    started.push(server);
    expect((await stat(privateDataDir)).mode & 0o001).toBe(0o001);
    await server.stop();

    const closedParent = await tempDir(0o700);
    await expect(startEmbeddedPostgres({ dataDir: path.join(closedParent, "data") })).rejects.toThrow(
      `cannot pass through ${closedParent}`,
    );
    expect((await stat(closedParent)).mode & 0o777).toBe(0o700);
  });
});
