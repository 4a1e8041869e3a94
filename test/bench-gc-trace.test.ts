import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGcTally, type GcTotals, TRACE_GC_ARGS } from "../bench/support/gc-trace.ts";
import { type Running, start } from "../bench/support/processes.ts";

// A server stand-in: it keeps some of what it allocates (so that scavenges promote), forces a full
// collection now and then, and writes a JSON log line a millisecond, as the gateway does.
const SERVER = `
const kept = [];
let line = 0;
setInterval(() => {
  for (let i = 0; i < 2000; i++) kept.push({ i, text: "request body " + i });
  if (kept.length > 100000) kept.length = 0;
  process.stdout.write(JSON.stringify({ level: 30, msg: "request completed", line: line++, pad: "p".repeat(300) }) + "\\n");
}, 1);
setInterval(() => globalThis.gc(), 300);
console.log("listening at http://127.0.0.1:1");
`;

let folder: string;
let script: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), "dsc-gc-trace-"));
  script = path.join(folder, "server.mjs");
  await writeFile(script, SERVER);
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** The whole stdout of the stand-in run for `ms` with V8's trace: trace lines among log lines. */
async function tracedOutput(ms: number): Promise<string> {
  const child = spawn(process.execPath, [...TRACE_GC_ARGS, "--expose-gc", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  await sleep(ms);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  return output;
}

function tallyOf(chunks: string[]): GcTotals {
  const tally = createGcTally();
  for (const chunk of chunks) tally.feed(chunk);
  return tally.totals();
}

describe("the overhead benchmark's garbage-collection columns (bench/support/gc-trace.ts)", () => {
  it("counts every collection V8 traced, however the output is cut into chunks", async () => {
    const output = await tracedOutput(1500);
    const lines = output.split("\n");
    const scavenges = lines.filter((line) => line.includes(" gc=s ")).length;
    const fullOnes = lines.filter((line) => line.includes(" gc=mc ")).length;
    expect(scavenges).toBeGreaterThan(2);
    expect(fullOnes).toBeGreaterThan(1);
    expect(lines.filter((line) => line.startsWith('{"level":30')).length).toBeGreaterThan(100);

    // a process's last line ends with a newline, as V8's do
    const whole = tallyOf([output]);
    expect(whole.minor).toBe(scavenges);
    expect(whole.major).toBe(fullOnes);
    expect(whole.promotedBytes).toBeGreaterThan(0);
    expect(whole.mainThreadMs).toBeGreaterThan(0);

    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: output.length - 1 }), { maxLength: 200 }), (cuts) => {
        const bounds = [0, ...new Set(cuts)].sort((a, b) => a - b);
        const chunks = bounds.map((from, index) => output.slice(from, bounds[index + 1]));
        const totals = tallyOf(chunks);
        expect(totals.minor).toBe(whole.minor);
        expect(totals.major).toBe(whole.major);
        expect(totals.promotedBytes).toBe(whole.promotedBytes);
        expect(totals.mainThreadMs).toBeCloseTo(whole.mainThreadMs, 6);
      }),
      { numRuns: 50 },
    );
  });

  it("gives a traced server's totals so far through start(), and none for one started without", async () => {
    const traced: Running = await start(
      ["--expose-gc", script],
      {},
      /listening at (\S+)/,
      {},
      { traceGc: true },
    );
    const plain: Running = await start(["--expose-gc", script], {}, /listening at (\S+)/);
    try {
      expect(plain.gcSoFar).toBeUndefined();
      const first = traced.gcSoFar?.();
      await sleep(1000);
      const later = traced.gcSoFar?.();
      expect(first).toBeDefined();
      expect(later?.minor).toBeGreaterThan(first?.minor ?? Number.POSITIVE_INFINITY);
      expect(later?.major).toBeGreaterThan(first?.major ?? Number.POSITIVE_INFINITY);
      expect(later?.promotedBytes).toBeGreaterThan(first?.promotedBytes ?? Number.POSITIVE_INFINITY);
    } finally {
      await traced.stop();
      await plain.stop();
    }
  });
});
