import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../../../../test/support/eventually.ts";
import { within } from "../../../../test/support/fake-upstream.ts";
import { freePort } from "../../../../test/support/free-port.ts";

/**
 * The real primary with two stand-in workers (testing/stand-in-cluster.ts): real processes,
 * forked and replaced by run-primary.ts, their process series collected over the cluster's IPC
 * channel.
 */
const EVERY_50_MS_FOR_20_S = { timeoutMs: 20_000, intervalMs: 50 };
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

interface StandInCluster {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

const started: ChildProcess[] = [];
afterEach(async () => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      // the primary and its workers: the test started them in a process group of their own
      process.kill(-(child.pid as number), "SIGKILL");
      await once(child, "exit");
    }
  }
});

async function startStandInCluster(restartDelayMs: number): Promise<StandInCluster> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "apps/gateway/src/testing/stand-in-cluster.ts"], {
    cwd: repositoryRoot,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env: { PATH: process.env.PATH, GATEWAY_PORT: String(port), RESTART_DELAY_MS: String(restartDelayMs) },
  });
  started.push(child);
  const exited = once(child, "close").then(([code]) => code as number | null);
  let output = "";
  child.stdout?.on("data", (data: Buffer) => {
    output += String(data);
  });
  child.stderr?.on("data", (data: Buffer) => {
    output += String(data);
  });
  await within(
    eventually(() => output.includes("Server listening at"), "the workers listening", EVERY_50_MS_FOR_20_S),
    20_000,
    "the workers listening",
  );
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

describe("the primary's metrics", () => {
  it("keeps each worker's start time, and counts a restart once its replacement is forked", async () => {
    const standIn = await startStandInCluster(100);
    const before = await scrape(standIn.url);
    expect(before.get('process_start_time_seconds{worker="0"}')).toBeGreaterThan(0);
    expect(before.get('process_start_time_seconds{worker="1"}')).toBeGreaterThan(0);
    expect(before.get("dsc_gateway_worker_restarts_total")).toBe(0);

    const first = primaryLines(standIn.output(), "gateway worker listening").find(
      (line) => line.worker === 0,
    );
    process.kill(first?.pid as number, "SIGKILL");
    await eventually(
      () =>
        primaryLines(standIn.output(), "gateway worker listening").some(
          (line) => line.worker === 0 && line.pid !== first?.pid,
        ),
      "the replacement listening",
      EVERY_50_MS_FOR_20_S,
    );
    const after = await scrape(standIn.url);
    expect(after.get("dsc_gateway_worker_restarts_total")).toBe(1);
    expect(after.get("dsc_gateway_workers")).toBe(2);
    expect(after.get('process_start_time_seconds{worker="0"}')).toBeGreaterThan(0);
  });

  it("does not count a restart that a stop cancels", async () => {
    // a worker dies, and the stop comes while its replacement waits out the delay
    const standIn = await startStandInCluster(60_000);
    const first = primaryLines(standIn.output(), "gateway worker listening").find(
      (line) => line.worker === 0,
    );
    process.kill(first?.pid as number, "SIGKILL");
    await eventually(
      () => primaryLines(standIn.output(), "gateway worker died").length > 0,
      "the worker's death logged",
      EVERY_50_MS_FOR_20_S,
    );
    standIn.child.kill("SIGTERM");
    expect(await within(standIn.exited, 20_000, "the primary exiting")).toBe(0);

    const [atShutdown] = primaryLines(standIn.output(), "exposition at shutdown");
    const samples = samplesOf(atShutdown?.text as string);
    expect(samples.get("dsc_gateway_worker_restarts_total")).toBe(0);
    expect(samples.get("dsc_gateway_workers")).toBe(1);
    expect(primaryLines(standIn.output(), "gateway worker listening")).toHaveLength(2);
  });
});

async function scrape(url: string): Promise<Map<string, number>> {
  const response = await fetch(`${url}/metrics`);
  expect(response.status).toBe(200);
  return samplesOf(await response.text());
}

/** The exposition's samples by name and labels as written: `name{worker="0"}` → value. */
function samplesOf(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-z_:]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) samples.set(match[1] as string, Number(match[2]));
  }
  return samples;
}

/** The JSON lines printed with this message (the primary's log lines, a worker's exposition). */
function primaryLines(output: string, msg: string): { worker?: number; pid?: number; text?: string }[] {
  return output
    .split("\n")
    .filter((line) => line.includes(`"msg":${JSON.stringify(msg)}`))
    .map((line) => JSON.parse(line));
}
