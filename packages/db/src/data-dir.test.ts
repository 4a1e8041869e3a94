import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DATA_DIR_MODE, defaultDataDir, ensureDataDir, loadOrCreateSecretFile } from "./data-dir.ts";

const dirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dsc-datadir-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("loadOrCreateSecretFile", () => {
  it("creates a random secret readable only by its owner, and returns it again later", async () => {
    const dir = await tempDir();
    const secret = await loadOrCreateSecretFile(dir, "pepper");
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await stat(path.join(dir, "secrets", "pepper"))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(dir, "secrets"))).mode & 0o777).toBe(0o700);
    expect(await loadOrCreateSecretFile(dir, "pepper")).toBe(secret);
    expect(await loadOrCreateSecretFile(dir, "other")).not.toBe(secret);
  });

  it("creates a DATA_DIR that does not exist yet, and its parents, passable by others (PostgreSQL's user)", async () => {
    const base = await tempDir();
    const dataDir = path.join(base, "new", "nested", "data");
    await loadOrCreateSecretFile(dataDir, "pepper");
    const modeOf = async (dir: string) => (await stat(dir)).mode & 0o777;
    for (const dir of [path.join(base, "new"), path.join(base, "new", "nested"), dataDir]) {
      expect(await modeOf(dir)).toBe(DATA_DIR_MODE);
    }
    expect(await modeOf(path.join(dataDir, "secrets"))).toBe(0o700);
    expect(await modeOf(path.join(dataDir, "secrets", "pepper"))).toBe(0o600);
    // folders that existed before keep their mode
    expect(await modeOf(base)).toBe(0o700);
  });

  it("gives processes that race at first start one value", async () => {
    const dir = await tempDir();
    const values = await Promise.all(Array.from({ length: 20 }, () => loadOrCreateSecretFile(dir, "s")));
    expect(new Set(values).size).toBe(1);
  });

  it("refuses an empty secret file instead of using it", async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, "secrets"), { recursive: true });
    await writeFile(path.join(dir, "secrets", "empty"), "");
    await expect(loadOrCreateSecretFile(dir, "empty")).rejects.toThrow(/empty/);
  });
});

describe("ensureDataDir", () => {
  it("leaves an existing data folder's mode alone", async () => {
    const dir = await tempDir();
    await ensureDataDir(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });
});

describe("defaultDataDir", () => {
  it("is .data at the workspace root, from any folder below it", async () => {
    const root = await tempDir();
    await writeFile(path.join(root, "package.json"), JSON.stringify({ workspaces: ["apps/*"] }));
    await mkdir(path.join(root, "apps", "gateway"), { recursive: true });
    await writeFile(path.join(root, "apps", "gateway", "package.json"), "{}");
    expect(defaultDataDir(path.join(root, "apps", "gateway"))).toBe(path.join(root, ".data"));
  });

  it("is .data in the working directory outside a workspace", async () => {
    const dir = await tempDir();
    expect(defaultDataDir(dir)).toBe(path.join(dir, ".data"));
  });
});
