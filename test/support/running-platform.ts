import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePorts } from "./free-port.ts";

const root = path.resolve(import.meta.dirname, "../..");

export interface RunningPlatform {
  dataDir: string;
  gatewayUrl: string;
  dashboardUrl: string;
  /** everything `npm start` printed so far */
  output(): string;
  /** SIGINT to the process group (Ctrl-C), then the exit code (or "timeout"), then the data folder is removed */
  stop(): Promise<number | null | "timeout">;
}

/**
 * `npm start` as a user runs it, on a fresh data folder and free ports, with no DATABASE_URL
 * or REDIS_URL (everything embedded). Resolves once the banner says the platform is running.
 * (`npm start` first builds what changed, so this takes minutes after source edits.)
 */
export async function startPlatform(
  extraEnv: Record<string, string> = {},
  { timeoutMs = 600_000 }: { timeoutMs?: number } = {},
): Promise<RunningPlatform> {
  // private (mkdtemp's 0700): as root, npm start opens its data folder to PostgreSQL's user itself
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-platform-"));
  const [gatewayPort, webPort] = (await freePorts(2)) as [number, number];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    GATEWAY_PORT: String(gatewayPort),
    WEB_PORT: String(webPort),
    // the dashboard's public address, so that its redirects stay on the loopback address
    NEXTAUTH_URL: `http://127.0.0.1:${webPort}`,
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  // parallel platforms must not contend for one port: worker metrics only when a test asks
  if (!("WORKER_METRICS_PORT" in extraEnv)) delete env.WORKER_METRICS_PORT;

  // the leader of its own process group, as in a terminal, so that stop() can signal the group
  const child: ChildProcess = spawn("npm", ["start"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const running = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not come up in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk;
      // the banner's last line: everything it prints once is in the output by then
      if (output.includes("platform is running") && output.includes("Stop with Ctrl-C")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited early (code ${code}):\n${output}`));
    });
  });

  let stopped: Promise<number | null | "timeout"> | undefined;
  const platform: RunningPlatform = {
    dataDir,
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    dashboardUrl: `http://127.0.0.1:${webPort}`,
    output: () => output,
    stop() {
      stopped ??= (async () => {
        // a terminal's Ctrl-C: SIGINT to npm, the supervisor and all at once
        if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, "SIGINT");
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<"timeout">((resolve) => {
          timer = setTimeout(() => resolve("timeout"), 60_000);
        });
        const code = await Promise.race([exited, timeout]);
        clearTimeout(timer);
        if (code === "timeout" && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        await rm(dataDir, { recursive: true, force: true });
        return code;
      })();
      return stopped;
    },
  };
  try {
    await running;
  } catch (error) {
    await platform.stop();
    throw error;
  }
  return platform;
}

/** The first-start secrets the banner prints once. */
export function readBanner(output: string) {
  const value = (pattern: RegExp) => {
    const match = pattern.exec(output)?.[1];
    if (!match) throw new Error(`the banner lacks ${pattern}:\n${output}`);
    return match;
  };
  return {
    adminEmail: value(/Admin login\s+(\S+)/),
    adminPassword: value(/Admin password\s+([0-9A-Za-z]{20})\s+\(generated/),
    demoOrganizationId: value(/Demo organization\s+(org_[0-9A-Za-z]+)/),
    demoApiKey: value(/Demo API key\s+(sk-[0-9A-Za-z]{48})/),
  };
}
