import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { rm, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePorts } from "../support/free-port.ts";
import {
  cloneRepository,
  type FreshClone,
  type ProcessInfo,
  processesUnder,
  reuseInstalledDependencies,
} from "./fresh-clone.ts";

/**
 * The README's two commands, `npm install && npm start`, exactly as written, on a fresh clone
 * of what is committed: no DATA_DIR, no database or Redis settings (only free ports, so that
 * the test does not collide with anything on the machine). Stopped as a terminal's Ctrl-C
 * stops it, SIGINT to the whole process group, and then nothing of it may be left running.
 *
 * SMOKE_REUSE_NODE_MODULES=1 skips `npm install` for the repository's installed dependencies
 * (see reuseInstalledDependencies): for machines without the registry. It cannot hide what
 * first starts failed on (the data folder's modes, the signals), which `npm start` does.
 */
const repo = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
let clone: FreshClone;
const started: ChildProcess[] = [];

beforeAll(async () => {
  clone = await cloneRepository(repo);
  if (process.env.SMOKE_REUSE_NODE_MODULES === "1") {
    await reuseInstalledDependencies(repo, clone.dir);
  } else {
    await run("npm", ["install"], { cwd: clone.dir, env: userEnv({}), maxBuffer: 64 * 1024 * 1024 });
  }
}, 900_000);

afterAll(async () => {
  // whatever a failed test left behind: the process groups it started, then the clone
  for (const child of started) {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
  if (clone) {
    for (const left of await processesUnder(clone.base)) {
      try {
        process.kill(left.pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    await rm(clone.base, { recursive: true, force: true });
  }
}, 120_000);

/** The environment of a user's machine: no database or Redis settings, no DATA_DIR. */
function userEnv(extra: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ["DATABASE_URL", "REDIS_URL", "DATA_DIR", "NODE_ENV", "VITEST", "VITEST_WORKER_ID"]) {
    delete env[name];
  }
  return env;
}

interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

/** `npm start` in the clone, as the leader of its own process group, as a terminal runs it. */
async function npmStart(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Started> {
  const child = spawn("npm", ["start"], {
    cwd: clone.dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  started.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + timeoutMs;
  while (!(output.includes("platform is running") && output.includes("Stop with Ctrl-C"))) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await sleep(250);
  }
  return { child, exited, output: () => output };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends the signal (to the process group, or to npm alone) and waits for npm's exit code. */
async function stop(running: Started, signal: NodeJS.Signals, target: "group" | "npm") {
  const pid = running.child.pid as number;
  process.kill(target === "group" ? -pid : pid, signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), 90_000);
  });
  const code = await Promise.race([running.exited, timeout]);
  clearTimeout(timer);
  return code;
}

/**
 * What runs of the clone or its data folders (PostgreSQL's processes other than the server
 * itself show only in their working directory, the cluster): nothing once npm start exited.
 */
async function leftRunning() {
  return (await processesUnder(clone.base)).map((left) => `${left.pid} ${left.command} (in ${left.cwd})`);
}

/** PostgreSQL's processes: the server names its cluster, the others run in it. */
const isPostgresOf = (cluster: string) => (p: ProcessInfo) =>
  p.command.includes(cluster) || p.cwd === cluster || p.cwd.startsWith(`${cluster}${path.sep}`);

async function admin(env: NodeJS.ProcessEnv, ...args: string[]) {
  const { stdout } = await run("npx", ["dsc-admin", ...args, "--json"], { cwd: clone.dir, env });
  return JSON.parse(stdout);
}

describe("npm install && npm start on a fresh clone", () => {
  const ports = { gateway: 0, web: 0 };
  let env: NodeJS.ProcessEnv;
  let orgId = "";

  beforeAll(async () => {
    [ports.gateway, ports.web] = (await freePorts(2)) as [number, number];
    env = userEnv({ GATEWAY_PORT: String(ports.gateway), WEB_PORT: String(ports.web) });
  });

  it("builds and runs gateway, dashboard and worker on the default data folder, works with dsc-admin, and Ctrl-C stops everything", async () => {
    const first = await npmStart(env, 1_200_000);
    expect(first.output()).toMatch(/Admin password\s+[0-9A-Za-z]{20}\s+\(generated; shown only now\)/);
    expect(first.output()).toMatch(/Demo API key\s+sk-[0-9A-Za-z]{48}\s+\(shown only now\)/);
    // the project's pinned Node.js, whatever node the machine has
    expect(first.output()).toMatch(/Runtime\s+Node\.js v24\./);
    const dataDir = path.join(clone.dir, ".data");
    expect(first.output()).toContain(`(data in ${dataDir})`);

    const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    const ready = await fetch(`${gatewayUrl}/readyz`);
    expect(ready.status).toBe(200);
    const login = await fetch(`http://127.0.0.1:${ports.web}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("Deep Seek Chat API");

    // the demo key works against the API, with and without streaming
    const demoKey = /Demo API key\s+(sk-[0-9A-Za-z]{48})/.exec(first.output())?.[1] ?? "";
    const chat = (stream: boolean, key = demoKey) =>
      fetch(`${gatewayUrl}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "deepseek-chst-1.0",
          stream,
          messages: [{ role: "user", content: "Hi" }],
        }),
      });
    const json = await chat(false);
    expect(json.status).toBe(200);
    expect(await json.text()).toContain("built-in local model");
    const streamed = await (await chat(true)).text();
    expect(streamed).toMatch(/^data: \{"id":"chatcmpl-/);
    expect(streamed.endsWith("data: [DONE]\n\n")).toBe(true);

    const org = await admin(env, "org", "create", "--name", "Smoke Co", "--tier", "pro");
    expect(org.id).toMatch(/^org_/);
    orgId = org.id;
    const key = await admin(env, "key", "create", "--org", org.id);
    expect(key.key).toMatch(/^sk-/);
    const limitOf = async () => (await chat(false, key.key)).headers.get("x-ratelimit-limit-requests");
    expect(await limitOf()).toBe("60");
    // a tier change from the CLI (another process) reaches the running gateway's snapshot
    // through the database's change notification within a second, without a restart
    await admin(env, "tier", "set", "--org", org.id, "--tier", "free");
    const changedAt = Date.now();
    let limit = await limitOf();
    while (limit !== "5" && Date.now() - changedAt < 1_000) limit = await limitOf();
    expect(limit).toBe("5");
    // revoked from the CLI, refused by the running gateway within a second
    await admin(env, "key", "revoke", key.id);
    const revokedAt = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - revokedAt < 1_000) status = (await chat(false, key.key)).status;
    expect(status).toBe(401);

    // a terminal's Ctrl-C: SIGINT to npm, the supervisor and all at once
    expect(await stop(first, "SIGINT", "group")).toBe(0);
    expect(first.output()).toContain("[platform]  stopped");
    expect(await leftRunning()).toEqual([]);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
    await expect(fetch(`${gatewayUrl}/healthz`)).rejects.toThrow();
    // PostgreSQL (another user, as root) passes through the data folder; secrets stay private
    expect((await stat(dataDir)).mode & 0o001).toBe(0o001);
    expect((await stat(path.join(dataDir, "secrets"))).mode & 0o777).toBe(0o700);
  }, 1_500_000);

  it("starts again on the same data, and stops on SIGTERM to npm even when nothing reads its output any more", async () => {
    expect(orgId).not.toBe("");
    const second = await npmStart(env, 300_000);
    expect(second.output()).toContain("as set at first start");
    expect(second.output()).not.toContain("Demo API key");
    const orgs = await admin(env, "org", "list");
    expect(orgs.map((o: { id: string }) => o.id)).toContain(orgId);
    // as in `npm start | tee start.log` once tee is gone: every line of the stop meets EPIPE
    second.child.stdout?.destroy();
    second.child.stderr?.destroy();
    expect(await stop(second, "SIGTERM", "npm")).toBe(0);
    expect(await leftRunning()).toEqual([]);
    expect(existsSync(path.join(clone.dir, ".data", "postgres", "postmaster.pid"))).toBe(false);
  }, 400_000);

  it("creates a nested DATA_DIR that does not exist yet; after a SIGKILLed supervisor the apps stop themselves and the next start takes PostgreSQL over", async () => {
    const dataDir = path.join(clone.base, "new", "a", "b");
    const nested = { ...env, DATA_DIR: dataDir };
    const third = await npmStart(nested, 300_000);
    expect(third.output()).toMatch(/Admin password\s+[0-9A-Za-z]{20}\s+\(generated; shown only now\)/);
    for (const dir of [path.join(clone.base, "new"), path.join(clone.base, "new", "a"), dataDir]) {
      expect((await stat(dir)).mode & 0o777).toBe(0o711);
    }

    // the supervisor killed outright (it cannot stop anything): its apps notice their parent
    // is gone and stop themselves; only PostgreSQL, which the next start takes over, remains
    const npmPid = third.child.pid as number;
    const supervisor = (await processesUnder(clone.base)).find((p) => p.ppid === npmPid);
    expect(supervisor?.command).toContain("apps/cli/bin/start.js");
    process.kill(supervisor?.pid as number, "SIGKILL");
    await third.exited;
    const isPostgres = isPostgresOf(path.join(dataDir, "postgres"));
    const apps = async () => (await processesUnder(clone.base)).filter((p) => !isPostgres(p));
    const deadline = Date.now() + 60_000;
    while ((await apps()).length > 0 && Date.now() < deadline) await sleep(500);
    expect((await apps()).map((p) => p.command)).toEqual([]);
    expect((await processesUnder(clone.base)).some(isPostgres)).toBe(true);

    const fourth = await npmStart(nested, 300_000);
    expect(fourth.output()).toContain("taking over the embedded PostgreSQL");
    expect(await stop(fourth, "SIGTERM", "group")).toBe(0);
    expect(await leftRunning()).toEqual([]);
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
  }, 600_000);
});
