import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
let dataDir = "";
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

/** The environment of a user's machine: no DATABASE_URL, so everything is embedded. */
function userEnv(extra: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return env;
}

async function npmStart(env: NodeJS.ProcessEnv) {
  const child = spawn("npm", ["start"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 180_000;
  while (!output.includes("platform is running")) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, exited, output: () => output };
}

async function stop(started: Awaited<ReturnType<typeof npmStart>>) {
  started.child.kill("SIGTERM");
  const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 60_000));
  return Promise.race([started.exited, timeout]);
}

async function admin(env: NodeJS.ProcessEnv, ...args: string[]) {
  const { stdout } = await run("npx", ["dsc-admin", ...args, "--json"], { cwd: root, env });
  return JSON.parse(stdout);
}

describe("npm start on a fresh data folder", () => {
  it("runs gateway, dashboard and worker, works with dsc-admin, stops cleanly and keeps its data", async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-smoke-"));
    await chmod(dataDir, 0o755);
    const [gatewayPort, webPort] = [await freePort(), await freePort()];
    const env = userEnv({ DATA_DIR: dataDir, GATEWAY_PORT: String(gatewayPort), WEB_PORT: String(webPort) });

    const first = await npmStart(env);
    expect(first.output()).toMatch(/Admin password\s+[0-9A-Za-z]{20}\s+\(generated; shown only now\)/);
    expect(first.output()).toMatch(/Demo API key\s+sk-[0-9A-Za-z]{48}\s+\(shown only now\)/);

    const ready = await fetch(`http://127.0.0.1:${gatewayPort}/readyz`);
    expect(ready.status).toBe(200);
    const login = await fetch(`http://127.0.0.1:${webPort}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("Deep Seek Chat API");

    // the demo key works against the API, with and without streaming
    const demoKey = /Demo API key\s+(sk-[0-9A-Za-z]{48})/.exec(first.output())?.[1] ?? "";
    const chat = (stream: boolean, key = demoKey) =>
      fetch(`http://127.0.0.1:${gatewayPort}/v1/chat/completions`, {
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

    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain("[platform]  stopped");
    expect(existsSync(path.join(dataDir, "postgres", "postmaster.pid"))).toBe(false);
    await expect(fetch(`http://127.0.0.1:${gatewayPort}/healthz`)).rejects.toThrow();

    const second = await npmStart(env);
    expect(second.output()).toContain("as set at first start");
    expect(second.output()).not.toContain("Demo API key");
    const orgs = await admin(env, "org", "list");
    expect(orgs.map((o: { id: string }) => o.id)).toContain(org.id);
    expect(await stop(second)).toBe(0);
  });
});
