import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/support/database.ts";
import { within } from "../../../test/support/fake-upstream.ts";
import { type GatewayProcess, startGatewayProcess } from "./testing/gateway-process.ts";

/**
 * The real server process (src/server.ts under tsx): its log lines are buffered to share
 * write system calls (build-gateway-deps.ts), yet each reaches stdout within the flush
 * interval with no traffic after it, and an idle gateway makes no empty writes.
 */
const t = await createTestDatabase();
const gateway = await startGatewayProcess({ databaseUrl: t.url });
const hasStrace = spawnSync("strace", ["-V"]).status === 0;

afterAll(async () => {
  await gateway.kill();
});

describe("the gateway's log lines", () => {
  it("reach stdout within the 250 ms flush interval, with no traffic after them", async () => {
    const requestId = await healthCheck(gateway);
    // 4 KB of lines would be written at once; one line waits for the interval only
    await within(printed(gateway, requestId), 2_000, "the request's log line");
  });

  it.skipIf(!hasStrace)("are written without empty writes while the gateway is idle", async (context) => {
    const trace = await traceWrites(gateway.child.pid as number);
    if (trace === null) context.skip("strace may not attach to the gateway here");
    const requestId = await healthCheck(gateway);
    await within(printed(gateway, requestId), 2_000, "the request's log line");
    // an observation of a real process at rest: four flush intervals without a line to write
    await sleep(1_000);
    const writes = (await trace?.stop())?.filter((call) => /^write\w*\(1, /.test(call)) ?? [];
    // the request's line, as one write: seen, so the trace does see the writes to stdout
    expect(writes.filter((call) => call.includes(requestId))).toHaveLength(1);
    expect(writes.filter((call) => call.includes('"", 0)'))).toEqual([]);
  });

  // last: it stops the gateway
  it("are all written when the process exits, the last within the interval before", async () => {
    gateway.child.kill("SIGTERM");
    expect(await within(gateway.exited, 20_000, "the gateway exiting")).toBe(0);
    expect(gateway.output()).toContain('"msg":"requests ended: writing usage events and chat logs"');
  });
});

/** GET /healthz; resolves with its request id, which its log line carries. */
async function healthCheck(running: GatewayProcess): Promise<string> {
  const response = await fetch(`${running.url}/healthz`);
  await response.text();
  expect(response.status).toBe(200);
  return response.headers.get("x-request-id") as string;
}

/** Resolves once the process has printed `text`, now or later. */
function printed(running: GatewayProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!running.output().includes(text)) return;
      running.child.stdout?.off("data", check);
      resolve();
    };
    running.child.stdout?.on("data", check);
    check();
  });
}

interface WriteTrace {
  /** detaches, and gives the write system calls seen, one a line */
  stop(): Promise<string[]>;
}

/** strace on every thread of `pid` (libuv writes from its pool); null if it may not attach. */
async function traceWrites(pid: number): Promise<WriteTrace | null> {
  const strace: ChildProcess = spawn(
    "strace",
    ["-f", "-s", "256", "-e", "trace=write,writev,pwrite64,pwritev", "-p", String(pid)],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let output = "";
  const attached = new Promise<boolean>((resolve) => {
    strace.stderr?.on("data", (data: Buffer) => {
      output += String(data);
      if (/Process \d+ attached/.test(output)) resolve(true);
    });
    strace.once("exit", () => resolve(false));
  });
  if (!(await within(attached, 5_000, "strace attaching"))) return null;
  // the threads attach one by one; the last of them a moment after the first
  await sleep(200);
  return {
    async stop() {
      strace.kill("SIGINT");
      await once(strace, "exit");
      return output.split("\n").map((line) => line.replace(/^\[pid +\d+\] /, ""));
    },
  };
}
