import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;
const stopAtExit = pathToFileURL(path.join(import.meta.dirname, "stop-at-exit.ts")).href;

const folders: string[] = [];
const postmasters: number[] = [];
const runners: ChildProcess[] = [];
afterAll(async () => {
  for (const runner of runners)
    if (runner.exitCode === null && runner.signalCode === null) runner.kill("SIGKILL");
  for (const pid of postmasters) if (isAlive(pid)) process.kill(pid, "SIGQUIT");
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

/** Signal 0 checks that the process exists (as root, or as PostgreSQL's own user, it may be signalled). */
const isAlive = (pid: number) => {
  try {
    return process.kill(pid, 0);
  } catch {
    return false;
  }
};

/**
 * A stand-in for the test runner: in a run folder holding a test file's folder, starts an
 * embedded PostgreSQL as the global setup does (or, as against DATABASE_URL, none), answers
 * SIGINT as vitest does (process.exit without the teardown) and SIGHUP not at all.
 */
async function startRunner({ embedded }: { embedded: boolean }) {
  const folder = await mkdtemp(path.join(os.tmpdir(), "dsc-exit-stop-"));
  folders.push(folder);
  await chmod(folder, 0o755);
  // A test file's own folder in the run's, as a test gateway makes one
  await mkdir(path.join(folder, "dsc-gateway-1"));
  await writeFile(path.join(folder, "dsc-gateway-1", "upload.part"), "bytes");
  const runner = `
    import { readFileSync } from "node:fs";
    import { startEmbeddedPostgres } from "@dsc/db";
    import { stopWhenTheRunnerExits } from ${JSON.stringify(stopAtExit)};
    const folder = ${JSON.stringify(folder)};
    const embedded = ${embedded} ? await startEmbeddedPostgres({ dataDir: folder }) : null;
    stopWhenTheRunnerExits(embedded, folder);
    process.once("SIGINT", () => { process.exitCode = 130; setTimeout(() => process.exit(), 1); });
    const postmaster = embedded ? readFileSync(folder + "/postgres/postmaster.pid", "utf8").split("\\n")[0] : 0;
    console.log("postmaster " + postmaster);
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ["--import", tsx, "--input-type=module", "--eval", runner], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  runners.push(child);
  let output = "";
  const postmaster = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /postmaster (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`the runner ended (${code}) before it was ready`)));
  });
  if (postmaster) postmasters.push(postmaster);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, folder, postmaster, exited };
}

describe("the test run's embedded PostgreSQL", () => {
  it.each([
    ["SIGINT", 130],
    ["SIGHUP", 129],
  ] as const)(
    "is stopped and the run's folder removed when the runner ends on %s",
    async (signal, code) => {
      const runner = await startRunner({ embedded: true });
      expect(isAlive(runner.postmaster)).toBe(true);
      runner.child.kill(signal);
      expect(await runner.exited).toBe(code);
      await expect.poll(() => isAlive(runner.postmaster), { timeout: 10_000, interval: 50 }).toBe(false);
      expect(existsSync(runner.folder)).toBe(false);
    },
    90_000,
  );
});

describe("the test run's folder", () => {
  it("is removed with the test files' folders in it when a run against DATABASE_URL is interrupted", async () => {
    const runner = await startRunner({ embedded: false });
    runner.child.kill("SIGINT");
    expect(await runner.exited).toBe(130);
    expect(existsSync(runner.folder)).toBe(false);
  });

  it("is the temporary folder of the test files, so that its removal takes theirs", () => {
    const runFolder = os.tmpdir();
    expect(path.basename(runFolder)).toMatch(/^dsc-test-/);
  });
});
