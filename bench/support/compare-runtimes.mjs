// `npm run bench -- --runtimes=machine,project [--passes=2] [limits] [hostile]`: the gateway
// overhead (limits) and hostile-input benchmarks with their servers on each Node.js in turn,
// interleaved (A B A B ...) so that whatever else the machine does weighs on every runtime
// alike; writes one comparison section of docs/benchmarks.md.
//
// A runtime is `machine` (the first node on PATH outside any node_modules folder: the one the
// machine has), `project` (the node running this script: under npm, the project's pinned one)
// or the path of a node executable. Only the servers switch runtime; the load generator, the
// pollers and the database set-up run on this script's node in every run, so that they stay
// the same.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const report = path.join(folder, "..", "docs", "benchmarks.md");
const START = "<!-- runtimes-bench:start -->";
const END = "<!-- runtimes-bench:end -->";
/** the benchmarks this comparison knows how to read, in the order they run within a pass */
const COMPARED = ["limits", "hostile"];
const log = (message) => process.stderr.write(`[runtimes] ${message}\n`);

/** The first executable `node` on PATH that is not in a node_modules folder. */
function machineNode() {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir || dir.split(path.sep).includes("node_modules")) continue;
    const candidate = path.join(dir, "node");
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  throw new Error("no node on PATH outside node_modules (the machine's own Node.js)");
}

function resolveRuntime(name) {
  const executable = name === "machine" ? machineNode() : name === "project" ? process.execPath : name;
  const version = spawnSync(executable, ["-v"], { encoding: "utf8" }).stdout?.trim();
  if (!version) throw new Error(`${name}: not a node executable`);
  const label =
    name === "machine"
      ? `the machine's Node ${version.split(".")[0].slice(1)}`
      : name === "project"
        ? `the project's Node ${version.split(".")[0].slice(1)}`
        : `Node ${version.split(".")[0].slice(1)}`;
  return { name, executable, version, label };
}

/** Parses `--runtimes=a,b` / `--runtimes a,b` and `--passes=N` out of the runner's arguments. */
export function runtimeOptions(args) {
  const rest = [];
  let runtimes = null;
  let passes = 2;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split("=", 2);
    const value = () => inline ?? args[++i];
    if (flag === "--runtimes") runtimes = value().split(",").filter(Boolean);
    else if (flag === "--passes") passes = Number(value());
    else rest.push(args[i]);
  }
  if (!(passes >= 1 && passes <= 5)) throw new Error("--passes: 1 to 5");
  return { runtimes, passes, names: rest };
}

/** Runs the comparison; returns the number of failed runs. */
export async function compareRuntimes({ runtimes: names, passes, names: wanted }) {
  const benchmarks = COMPARED.filter((name) => wanted.length === 0 || wanted.some((w) => name.startsWith(w)));
  if (benchmarks.length === 0) throw new Error(`--runtimes compares ${COMPARED.join(" and ")} only`);
  const runtimes = names.map(resolveRuntime);
  for (const runtime of runtimes) log(`${runtime.name}: ${runtime.label} (${runtime.version})`);
  const scratch = await mkdtemp(path.join(os.tmpdir(), "dsc-bench-runtimes-"));
  const results = Object.fromEntries(benchmarks.map((b) => [b, runtimes.map(() => [])]));
  const loadBefore = os.loadavg()[0];
  let failed = 0;
  try {
    for (let pass = 1; pass <= passes; pass++) {
      for (const [r, runtime] of runtimes.entries()) {
        for (const benchmark of benchmarks) {
          const file = path.join(scratch, `${benchmark}-${runtime.name}-${pass}.json`);
          log(`pass ${pass} of ${passes}: ${benchmark} on ${runtime.label}`);
          const run = spawnSync(
            process.execPath,
            ["--import", "tsx", path.join(folder, `${benchmark}.bench.ts`)],
            {
              stdio: ["ignore", "ignore", "inherit"],
              env: {
                ...process.env,
                // one round per run: the passes are the repetitions, taken in turns
                BENCH_ROUNDS: process.env.BENCH_ROUNDS ?? "1",
                BENCH_SERVER_NODE: runtime.executable,
                BENCH_RESULTS_FILE: file,
              },
            },
          );
          if (run.status !== 0 || !existsSync(file)) {
            failed += 1;
            log(`${benchmark} on ${runtime.label} failed (${run.status ?? run.signal})`);
            continue;
          }
          results[benchmark][r].push(JSON.parse(await readFile(file, "utf8")));
        }
      }
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg()[0];
  await writeSection({ runtimes, passes, benchmarks, results, load: [loadBefore, loadAfter] });
  return failed;
}

// ---------------------------------------------------------------- the report

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : "–");
const signed = (value) => (Number.isFinite(value) ? `${value >= 0 ? "+" : ""}${value.toFixed(2)}` : "–");
/** one cell: each pass's value, in the order they ran */
const cell = (values, format) => (values.length ? values.map(format).join(" / ") : "failed");

/** What the gateway adds over the bare pass-through, per load and provider, in one run. */
function overheadOf(run, load) {
  const rows = run[load];
  return rows
    .filter((row) => row.kind === "gateway")
    .map((row) => {
      const bare = rows.find((r) => r.kind === "bare" && r.provider === row.provider);
      return {
        key: `${load === "saturated" ? "saturated" : `paced, ${run.pacedRate}/s`} | ${row.provider} | ${row.server}`,
        p50: row.p50 - (bare?.p50 ?? Number.NaN),
        p99: row.p99 - (bare?.p99 ?? Number.NaN),
        cpu: row.cpu?.mainThreadMicros ?? Number.NaN,
      };
    });
}

function limitsTable(runtimes, runs) {
  const perRuntime = runs.map((list) =>
    list.map((run) => [...overheadOf(run, "saturated"), ...overheadOf(run, "paced")]),
  );
  const keys = [...new Set(perRuntime.flat(2).map((o) => o.key))];
  const valuesOf = (r, key, field) =>
    perRuntime[r].map((run) => run.find((o) => o.key === key)?.[field] ?? Number.NaN);
  return [
    "| load | provider | server | runtime | p50 added (ms) | p99 added (ms) | CPU µs/req, event loop |",
    "| --- | --- | --- | --- | ---: | ---: | ---: |",
    ...keys.flatMap((key) =>
      runtimes.map(
        (runtime, r) =>
          `| ${key} | ${runtime.label} | ${cell(valuesOf(r, key, "p50"), signed)} | ` +
          `${cell(valuesOf(r, key, "p99"), signed)} | ${cell(valuesOf(r, key, "cpu"), (v) => fixed(v, 0))} |`,
      ),
    ),
  ];
}

function hostileTable(runtimes, runs) {
  const shapes = ["none (pollers alone)", ...(runs.flat()[0]?.rows.map((row) => row.shape) ?? [])];
  const of = (run, shape) =>
    shape === "none (pollers alone)" ? run.baseline : run.rows.find((row) => row.shape === shape);
  const valuesOf = (r, shape, field) => runs[r].map((run) => of(run, shape)?.[field] ?? Number.NaN);
  return [
    "| shape | runtime | hostile request (ms) | worst other-tenant wait (ms) | worst /healthz wait (ms) | event-loop CPU (ms) |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...shapes.flatMap((shape) =>
      runtimes.map(
        (runtime, r) =>
          `| ${shape} | ${runtime.label} | ${cell(valuesOf(r, shape, "hostileMs"), (v) => fixed(v, 0))} | ` +
          `${cell(valuesOf(r, shape, "worstOtherMs"), (v) => fixed(v, 1))} | ` +
          `${cell(valuesOf(r, shape, "worstHealthMs"), (v) => fixed(v, 1))} | ` +
          `${cell(valuesOf(r, shape, "mainThreadCpuMs"), (v) => fixed(v, 0))} |`,
      ),
    ),
  ];
}

/** The reading is written by hand under the tables; a rerun keeps it. */
function readingOf(old) {
  const at = old?.indexOf("Reading:") ?? -1;
  return old && at >= 0 ? old.slice(at).trimEnd() : "Reading: (to be written after a run)";
}

async function writeSection({ runtimes, passes, benchmarks, results, load }) {
  const current = existsSync(report) ? readFileSync(report, "utf8") : "# Benchmarks\n";
  const startAt = current.indexOf(START);
  const endAt = current.indexOf(END);
  const found = startAt >= 0 && endAt > startAt;
  const cpus = os.cpus();
  const order = Array.from({ length: passes }, () => runtimes.map((r) => r.label).join(", ")).join(", then ");
  const lines = [
    START,
    `## Node.js runtimes side by side (\`npm run bench -- --runtimes=${runtimes.map((r) => r.name).join(",")}\`)`,
    "",
    "Method: the gateway-overhead rows of `bench/limits.bench.ts` and the hostile-input benchmark",
    "(`bench/hostile.bench.ts`), each as described in its own section, with their servers (the gateway's",
    "bundle, the bare pass-through, the fake upstream) on each runtime in turn. The load generator, the",
    "pollers and the database set-up run on the project's Node in every run, so only the servers'",
    `runtime differs. The machine is shared with other work, so the runs are interleaved: ${order}`,
    `(${passes} ${passes === 1 ? "pass" : "passes"} of one round each); a cell gives each pass's figure in that order. Compare`,
    "the runtimes within one pass and the passes with each other: their spread is the machine's.",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus[0]?.model ?? "cpu"} × ${cpus.length} cores, ` +
      `${os.platform()} ${os.release()}; ${runtimes.map((r) => `${r.label} is ${r.version}`).join(", ")}. ` +
      `Load average (1 min) before / after: ${load[0].toFixed(2)} / ${load[1].toFixed(2)}.`,
  ];
  if (benchmarks.includes("limits")) {
    lines.push(
      "",
      "What the gateway adds over the bare pass-through (POST /v1/chat/completions, 16 connections; aim",
      "under 1 ms at p50 and 5 ms at p99), and the gateway's event-loop CPU per request:",
      "",
      ...limitsTable(runtimes, results.limits),
    );
  }
  if (benchmarks.includes("hostile")) {
    lines.push(
      "",
      "Hostile input: one chat completion as large as the chat route accepts, per shape, while another",
      "tenant polls (aim: worst waits under 50 ms):",
      "",
      ...hostileTable(runtimes, results.hostile),
    );
  }
  lines.push("", readingOf(found ? current.slice(startAt, endAt) : null), END);
  const section = lines.join("\n");
  const next = found
    ? `${current.slice(0, startAt)}${section}${current.slice(endAt + END.length)}`
    : `${current.trimEnd()}\n\n${section}\n`;
  await writeFile(report, next);
  process.stdout.write(`${section}\n`);
}
