/**
 * Hostile-input benchmark: one chat completion whose prompt is as large as the chat route
 * accepts and shaped to be slow for regular expressions and tokenizers, sent to a real gateway
 * process while a /healthz poller and another tenant's small chat requests measure how long
 * the event loop makes everyone else wait. The hostile organization masks personal data for
 * its upstream, and the upstream answers without usage: all three kinds of work on the prompt
 * (masking for the upstream, token counting, the chat log's masking and sealing) happen.
 *
 *   npm run bench -- hostile
 *   node --import tsx bench/hostile.bench.ts
 *
 * Environment: DATABASE_URL (a PostgreSQL on which a scratch database is created and dropped;
 * without it an embedded one runs in a temporary directory), BENCH_HOSTILE_MAX_BYTES (largest
 * body tried, default 8 MiB: the chat route's limit is found below it), BENCH_HOSTILE_POLL_MS
 * (pause between a poller's requests, default 5), BENCH_HOSTILE_SHAPES (e.g. "dotted,JWT": only
 * those shapes; the report is then not written), BENCH_PROFILE_DIR (the gateway writes a V8 CPU
 * profile there), BENCH_SERVER_NODE (the node that runs the gateway and the upstream),
 * BENCH_RESULTS_FILE (figures as JSON there instead of the report). Only 127.0.0.1 is contacted.
 * Prints a Markdown table and writes it, with the method, to docs/benchmarks.md.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { cliActor, createApiKey, createOrganization, systemClock } from "@dsc/core";
import { createDatabaseClient } from "@dsc/db";
import { Pool } from "undici";
import { benchRun } from "./support/bench-run.ts";
import { type Running, start } from "./support/processes.ts";
import { RESULTS_FILE, reportSection, writeResults } from "./support/report.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MODEL = "deepseek-chst-1.0";
const PEPPER = `bench-pepper-${randomBytes(16).toString("hex")}`;
const METRICS_TOKEN = `bench-metrics-${randomBytes(16).toString("hex")}`;
const MAX_BYTES = Number(process.env.BENCH_HOSTILE_MAX_BYTES ?? 8 * 1024 * 1024);
const POLL_MS = Number(process.env.BENCH_HOSTILE_POLL_MS ?? 5);
/** BENCH_HOSTILE_SHAPES=dotted,JWT: only the shapes whose names hold one of these */
const ONLY = (process.env.BENCH_HOSTILE_SHAPES ?? "").split(",").filter(Boolean);
/** BENCH_PROFILE_DIR=<folder>: the gateway writes a V8 CPU profile there when it stops */
const PROFILE_ARGS = process.env.BENCH_PROFILE_DIR
  ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE_DIR)}`]
  : [];
/** pollers go on this long after the hostile answer: its usage and chat log are worked on then */
const TAIL_MS = 1_500;
/** the longest a hostile request may take before the run gives up on it */
const HOSTILE_TIMEOUT_MS = 120_000;
/** bounds every poller whatever happens */
const MAX_POLLS = 20_000;
const log = (message: string) => process.stderr.write(`[hostile.bench] ${message}\n`);

// ---------------------------------------------------------------- the shapes

interface Shape {
  name: string;
  /** a text of about `length` characters */
  text(length: number): string;
}

const repeatTo = (unit: string, length: number) =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

const SHAPES: Shape[] = [
  { name: "no spaces `aaaa…`", text: (n) => "a".repeat(n) },
  { name: "dotted `a.a.a.…`", text: (n) => repeatTo("a.", n) },
  { name: "e-mail-like `a.a@a.a…`", text: (n) => repeatTo("a.a@a.a", n) },
  { name: "JWT-like `-eyJ-eyJ…`", text: (n) => repeatTo("-eyJ", n) },
  { name: "digits `0123456789…`", text: (n) => repeatTo("0123456789", n) },
  { name: "dashes `----…`", text: (n) => "-".repeat(n) },
  { name: "digits and dashes `1-2-3-…`", text: (n) => repeatTo("1-2-3-", n) },
  { name: "unicode `é中😀ß…`", text: (n) => repeatTo("é中😀ß", n) },
  {
    name: 'nested JSON `{"a":{"a":…}}`',
    text: (n) => {
      const depth = Math.floor((n - 1) / 6);
      return `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    },
  },
];

function bodyOf(text: string): string {
  return JSON.stringify({ model: MODEL, messages: [{ role: "user", content: text }] });
}

/** The longest text of a shape whose request body fits in `bytes`. */
function fit(shape: Shape, bytes: number): string {
  const sample = shape.text(10_000);
  const bytesPerCharacter = Buffer.byteLength(bodyOf(sample)) / sample.length;
  let length = Math.floor((bytes - 200) / bytesPerCharacter);
  let text = shape.text(length);
  for (let i = 0; i < 50 && Buffer.byteLength(bodyOf(text)) > bytes; i++) {
    length = Math.floor(length * 0.99);
    text = shape.text(length);
  }
  return text;
}

// ---------------------------------------------------------------- processes

// ---------------------------------------------------------------- measuring

interface Caller {
  secret: string;
}

async function post(pool: Pool, caller: Caller, body: string, timeoutMs = 30_000) {
  const response = await pool.request({
    path: "/v1/chat/completions",
    method: "POST",
    headers: { authorization: `Bearer ${caller.secret}`, "content-type": "application/json" },
    body,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const text = await response.body.text();
  return { status: response.statusCode, text };
}

/** The largest chat body the gateway accepts, halving from MAX_BYTES and then narrowing down. */
async function chatBodyLimit(url: string, caller: Caller): Promise<{ bytes: number; refusal: string }> {
  const pool = new Pool(url, { connections: 1 });
  const accepts = async (bytes: number) => {
    const text = fit({ name: "probe", text: (n) => repeatTo("hello ", n) }, bytes);
    try {
      const { status, text: answer } = await post(pool, caller, bodyOf(text), HOSTILE_TIMEOUT_MS);
      if (status !== 200) refusal = `${status} ${answer.slice(0, 160)}`;
      return status === 200;
    } catch (error) {
      // a body over the limit: the gateway answers 413 and closes before reading all of it
      refusal = `connection closed while sending (${(error as { code?: string }).code ?? String(error)})`;
      return false;
    }
  };
  let refusal = "none";
  try {
    let accepted = MAX_BYTES;
    let refused: number | null = null;
    while (accepted > 1_024 && !(await accepts(accepted))) {
      refused = accepted;
      accepted = Math.floor(accepted / 2);
    }
    // between the last size accepted and the first refused, to within 2 %
    for (let i = 0; refused !== null && i < 8 && refused - accepted > accepted * 0.02; i++) {
      const middle = Math.floor((accepted + refused) / 2);
      if (await accepts(middle)) accepted = middle;
      else refused = middle;
    }
    return { bytes: accepted, refusal };
  } finally {
    await pool.close();
  }
}

interface Measurement {
  hostileMs: number | null;
  hostileStatus: number | null;
  worstHealthMs: number;
  worstOtherMs: number;
  healthPolls: number;
  otherRequests: number;
  /** CPU time of the gateway's event-loop thread over the window (Linux), ms */
  mainThreadCpuMs: number | null;
  /** the gateway's own nodejs_eventloop_lag_max_seconds over the window, ms */
  eventLoopMaxMs: number | null;
}

/** CPU time so far of a process's main thread, in ms (its schedstat; null off Linux). */
async function mainThreadCpuMs(pid: number): Promise<number | null> {
  try {
    const schedstat = await readFile(`/proc/${pid}/task/${pid}/schedstat`, "utf8");
    return Number(schedstat.split(" ")[0]) / 1e6;
  } catch {
    return null;
  }
}

/** The gateway's event-loop delay maximum since the last scrape (a scrape starts a new window). */
async function eventLoopMaxMs(url: string): Promise<number | null> {
  const response = await fetch(`${url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  }).catch(() => null);
  if (!response?.ok) return null;
  const match = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(await response.text());
  // prom-client's gauge includes the 10 ms interval of the timer it reads: the excess is the delay
  return match?.[1] ? Math.max(0, Number(match[1]) * 1_000 - 10) : null;
}

/**
 * Pollers run on connections of their own while the hostile request (if any) is sent and
 * for TAIL_MS after its answer; each poller waits for its answer, pauses POLL_MS, asks again.
 */
async function measure(
  gateway: Running,
  other: Caller,
  hostile: { caller: Caller; body: string } | null,
): Promise<Measurement> {
  const url = gateway.url;
  const pools = [0, 1, 2].map(() => new Pool(url, { connections: 1, keepAliveTimeout: 60_000 }));
  const [healthPool, otherPool, hostilePool] = pools as [Pool, Pool, Pool];
  let isDone = false;
  const poll = async (ask: () => Promise<number>) => {
    const waits: number[] = [];
    while (!isDone && waits.length < MAX_POLLS) {
      const started = performance.now();
      const status = await ask();
      if (status !== 200) throw new Error(`a poller got ${status}`);
      waits.push(performance.now() - started);
      await sleep(POLL_MS);
    }
    return waits;
  };
  const smallChat = bodyOf("Hello, how are you?");
  await eventLoopMaxMs(url);
  const cpuBefore = await mainThreadCpuMs(gateway.pid);
  try {
    const pollers = Promise.all([
      poll(async () => {
        const response = await healthPool.request({ path: "/healthz", method: "GET" });
        await response.body.text();
        return response.statusCode;
      }),
      poll(async () => (await post(otherPool, other, smallChat)).status),
    ]);
    await sleep(300);
    let hostileMs: number | null = null;
    let hostileStatus: number | null = null;
    if (hostile) {
      const started = performance.now();
      hostileStatus = (await post(hostilePool, hostile.caller, hostile.body, HOSTILE_TIMEOUT_MS)).status;
      hostileMs = performance.now() - started;
    }
    await sleep(TAIL_MS);
    isDone = true;
    const [health, others] = await pollers;
    const cpuAfter = await mainThreadCpuMs(gateway.pid);
    return {
      mainThreadCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
      eventLoopMaxMs: await eventLoopMaxMs(url),
      hostileMs,
      hostileStatus,
      worstHealthMs: Math.max(...health),
      worstOtherMs: Math.max(...others),
      healthPolls: health.length,
      otherRequests: others.length,
    };
  } finally {
    isDone = true;
    await Promise.all(pools.map((pool) => pool.close()));
  }
}

// ---------------------------------------------------------------- the run

interface Row extends Measurement {
  shape: string;
  promptCharacters: number;
  bodyBytes: number;
}

function gitDescription(): string {
  const head = spawnSync("git", ["log", "-1", "--format=%h %s"], { cwd: ROOT, encoding: "utf8" });
  const dirty = spawnSync(
    "git",
    [
      "status",
      "--porcelain",
      "--",
      "packages/core/src/masking/pii-masking.ts",
      "packages/core/src/tokens/count-tokens.ts",
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
  const subject = head.stdout.trim();
  const shortSubject = subject.length > 90 ? `${subject.slice(0, 89)}…` : subject;
  return dirty.stdout.trim()
    ? `${shortSubject} (with uncommitted changes to the masker or the tokenizer)`
    : shortSubject;
}

async function main() {
  const loadBefore = os.loadavg();
  await benchRun("hostile", log, async (run) => {
    const { dataDir } = run;
    log("building the gateway (npm run build -w @dsc/gateway)");
    const built = spawnSync("npm", ["run", "build", "-w", "@dsc/gateway"], { cwd: ROOT, stdio: "ignore" });
    if (built.status !== 0) throw new Error(`the gateway's build failed (${built.status ?? built.signal})`);
    const database = await run.database();
    const db = createDatabaseClient(database.url, { maxConnections: 2 });
    run.onCleanup(() => db.$disconnect());

    // limits that never refuse: what is measured is the work on the prompt, not a 429
    await db.tier.create({
      data: {
        id: "tier_bench_hostile",
        slug: "bench-hostile",
        name: "Bench hostile",
        requestsPerMinute: 100_000,
        tokensPerMinute: null,
        monthlyTokenQuota: null,
        maxFileBytes: 1024n,
        isCustom: true,
        models: { connect: { id: MODEL } },
      },
    });
    const deps = { db, clock: systemClock, pepper: PEPPER };
    const caller = async (name: string, maskPiiUpstream: boolean): Promise<Caller> => {
      const org = await createOrganization(deps, { name, tier: "bench-hostile", actor: cliActor("bench") });
      if (maskPiiUpstream) await db.organization.update({ where: { id: org.id }, data: { maskPiiUpstream } });
      const { secret } = await createApiKey(deps, {
        organizationId: org.id,
        scopes: ["chat"],
        actor: cliActor("bench"),
      });
      return { secret };
    };
    const attacker = await caller("Hostile", true);
    const other = await caller("Other tenant", false);

    const upstream = await start(
      [path.join(ROOT, "bench/support/fake-upstream.mjs"), "--without-usage"],
      {},
      /listening (http:\/\/127\.0\.0\.1:\d+)/,
    );
    run.onCleanup(upstream.stop);
    const gateway = await start(
      [...PROFILE_ARGS, "apps/gateway/dist/server.js"],
      {
        GATEWAY_HOST: "127.0.0.1",
        GATEWAY_PORT: "0",
        LOG_LEVEL: "info",
        DATABASE_URL: database.url,
        DATA_DIR: dataDir,
        API_KEY_PEPPER: PEPPER,
        UPSTREAM_BASE_URL: `${upstream.url}/v1`,
        UPSTREAM_MODEL: "bench-model",
        METRICS_TOKEN,
      },
      /Server listening at (http:\/\/127\.0\.0\.1:\d+)/,
    );
    run.onCleanup(gateway.stop);

    const limit = await chatBodyLimit(gateway.url, attacker);
    log(`the chat route accepts bodies up to ~${limit.bytes} bytes (refusal above: ${limit.refusal})`);
    log("baseline: the pollers alone");
    const baseline = await measure(gateway, other, null);
    const rows: Row[] = [];
    for (const shape of SHAPES.filter((s) => ONLY.length === 0 || ONLY.some((o) => s.name.includes(o)))) {
      const text = fit(shape, limit.bytes);
      const body = bodyOf(text);
      log(`${shape.name}: ${text.length} characters, ${Buffer.byteLength(body)} bytes`);
      const measured = await measure(gateway, other, { caller: attacker, body });
      rows.push({
        shape: shape.name,
        promptCharacters: text.length,
        bodyBytes: Buffer.byteLength(body),
        ...measured,
      });
      log(
        `  ${measured.hostileStatus} in ${measured.hostileMs?.toFixed(0)} ms; worst /healthz ${measured.worstHealthMs.toFixed(1)} ms, other tenant ${measured.worstOtherMs.toFixed(1)} ms`,
      );
    }
    const loadAfter = os.loadavg();
    if (RESULTS_FILE) {
      await writeResults({ bodyLimitBytes: limit.bytes, baseline, rows });
      return;
    }
    if (ONLY.length > 0) return;
    await writeReport({
      rows,
      baseline,
      limit,
      database: database.origin,
      commit: gitDescription(),
      load: `${loadBefore[0]?.toFixed(1)} before, ${loadAfter[0]?.toFixed(1)} after`,
    });
  });
}

const ms = (value: number | null) => (value === null ? "–" : value.toFixed(value < 100 ? 1 : 0));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const loopOf = (m: Measurement) => `${ms(m.mainThreadCpuMs)} ms / ${ms(m.eventLoopMaxMs)} ms`;

async function writeReport(run: {
  rows: Row[];
  baseline: Measurement;
  limit: { bytes: number; refusal: string };
  database: string;
  commit: string;
  load: string;
}) {
  const table = [
    "| shape | prompt | hostile request | worst /healthz wait | worst other-tenant wait | gateway event loop: CPU / max delay |",
    "| --- | --- | --- | --- | --- | --- |",
    `| none (pollers alone) | – | – | ${ms(run.baseline.worstHealthMs)} ms | ${ms(run.baseline.worstOtherMs)} ms | ${loopOf(run.baseline)} |`,
    ...run.rows.map(
      (row) =>
        `| ${row.shape} | ${row.promptCharacters.toLocaleString("en")} characters (${kib(row.bodyBytes)} body) | ${row.hostileStatus} in ${ms(row.hostileMs)} ms | ${ms(row.worstHealthMs)} ms | ${ms(row.worstOtherMs)} ms | ${loopOf(row)} |`,
    ),
  ].join("\n");
  process.stdout.write(`${table}\n`);
  const start = "<!-- hostile-bench:start -->";
  const end = "<!-- hostile-bench:end -->";
  const section = await reportSection(start, end);
  const reading = readingOf(section.old);
  await section.replace(`${start}
## Hostile input: one huge prompt against everyone else (\`bench/hostile.bench.ts\`)

Method: \`npm run bench -- hostile\`. The gateway runs as deployed (its tsup bundle on plain
node, \`LOG_LEVEL=info\`, limits and cache in memory, ${run.database}), in front of a fake
upstream in its own process that answers at once and without usage, so that the gateway
counts the prompt's tokens itself. The hostile organization masks personal data for its
upstream: each hostile prompt is masked for the upstream, counted, and masked and sealed for
its chat log. For each shape, one hostile chat completion (JSON) is sent as large as the chat
route accepts (found by probing: ${kib(run.limit.bytes)} of body; above it the gateway answered
\`${run.limit.refusal.replaceAll("`", "'").replaceAll("|", "/")}\`), while two pollers on
connections of their own ask again ${POLL_MS} ms after each answer: \`GET
/healthz\`, and another organization's small chat completion. A wait is one poller request's
latency, from before the hostile request until ${TAIL_MS} ms after its answer (its usage
counting and chat log come after the answer). Aim: worst waits under 50 ms. The last column is
the gateway's own view of the same window: the CPU time its event-loop thread used (from
\`/proc\`: an upper bound of how long the hostile request can have held the loop, whatever the
machine's load) and its \`nodejs_eventloop_lag_max_seconds\` (how late its timers ran, which
includes waiting for a core when the machine is busy).

Measured at: ${run.commit}. Load average (1 min): ${run.load}.

${table}

${reading}
${end}`);
}

/** The reading is written by hand under the table; a rerun keeps it. */
function readingOf(old: string | null): string {
  const marker = "Reading:";
  const at = old?.indexOf(marker) ?? -1;
  return old && at >= 0 ? old.slice(at).trimEnd() : "Reading: (to be written after a run)";
}

await main();
