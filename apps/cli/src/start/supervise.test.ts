import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { within } from "../../../../test/support/fake-upstream.ts";
import { type RunningService, startService, stopServices } from "./supervise.ts";

const pids: number[] = [];
afterAll(() => {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone, as it should be
    }
  }
});

/** Linux: a process's state letter and process group, or null once it is gone (or a zombie). */
async function processState(pid: number): Promise<{ pgid: number } | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" ? null : { pgid: Number(fields[2]) };
  } catch {
    return null;
  }
}

/** Polls until the process is gone; false if it still runs at the deadline. */
async function ended(pid: number, withinMs = 20_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if ((await processState(pid)) === null) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** A service whose lines are collected; resolves once it printed its first line. */
async function startNodeService(
  script: string,
  stopGraceMs?: number,
): Promise<{ service: RunningService; lines: string[] }> {
  const lines: string[] = [];
  let printed: () => void = () => {};
  const firstLine = new Promise<void>((resolve) => {
    printed = resolve;
  });
  const service = startService(
    {
      name: "test",
      command: process.execPath,
      args: ["-e", script],
      cwd: process.cwd(),
      env: process.env,
      stopGraceMs,
    },
    (line) => {
      lines.push(line);
      printed();
    },
  );
  if (service.child.pid) pids.push(service.child.pid);
  await firstLine;
  return { service, lines };
}

describe.runIf(process.platform === "linux")("npm start's services", () => {
  it("run in a process group of their own, out of reach of a terminal's Ctrl-C to the supervisor's group", async () => {
    const { service } = await startNodeService("console.log('up'); setInterval(() => {}, 1000)");
    const pid = service.child.pid as number;
    expect((await processState(pid))?.pgid).toBe(pid);
    expect((await processState(process.pid))?.pgid).not.toBe(pid);
    await stopServices([service]);
    expect(await ended(pid)).toBe(true);
  });

  it("are stopped with SIGTERM, and whatever they left in their group goes with them", async () => {
    // the service starts a helper that ignores SIGTERM, and stops by itself on SIGTERM
    const { service, lines } = await startNodeService(`
      const { spawn } = require("node:child_process");
      const helper = spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: "ignore" });
      process.on("SIGTERM", () => { console.log("stopping on SIGTERM"); process.exit(0); });
      console.log("helper " + helper.pid);
      setInterval(() => {}, 1000);
    `);
    const helper = Number(/helper (\d+)/.exec(lines[0] ?? "")?.[1]);
    pids.push(helper);
    expect((await processState(helper))?.pgid).toBe(service.child.pid);
    await stopServices([service]);
    expect(await service.exited).toBe(0);
    expect(lines.at(-1)).toContain("stopping on SIGTERM");
    expect(await ended(helper)).toBe(true);
  });

  it("are killed after their own stop grace (the gateway's is longer than its SHUTDOWN_GRACE_MS), not the default 15 s", async () => {
    const { service } = await startNodeService(
      "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)",
      200,
    );
    await within(stopServices([service]), 10_000, "the service killed after its 200 ms grace");
    expect(service.child.signalCode).toBe("SIGKILL");
  });
});

describe.runIf(process.platform === "linux")("watch-parent (preloaded into every service)", () => {
  it("stops the service with SIGTERM once its parent is gone, as when the supervisor is SIGKILLed", async () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm")).href;
    const preload = pathToFileURL(path.join(import.meta.dirname, "watch-parent.ts")).href;
    // prints once the preload has run (--import modules load before the script)
    const service = `process.on("SIGTERM", () => process.exit(0)); console.log("ready"); setInterval(() => {}, 1000);`;
    // a parent that starts the service, prints its pid and is then killed outright
    const parent = spawn(
      process.execPath,
      [
        "-e",
        `const child = require("node:child_process").spawn(process.execPath, ["--import", ${JSON.stringify(tsx)}, "--import", ${JSON.stringify(preload)}, "-e", ${JSON.stringify(service)}], { stdio: ["ignore", "inherit", "ignore"], detached: true });
         console.log("pid " + child.pid); setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    let output = "";
    await new Promise<void>((resolve) =>
      parent.stdout?.on("data", (chunk) => {
        output += chunk;
        if (/pid \d+/.test(output) && output.includes("ready")) resolve();
      }),
    );
    const servicePid = Number(/pid (\d+)/.exec(output)?.[1]);
    pids.push(servicePid);
    expect(await processState(servicePid)).not.toBeNull();
    parent.kill("SIGKILL");
    expect(await ended(servicePid)).toBe(true);
  });
});
