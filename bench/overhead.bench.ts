/**
 * Overhead benchmark: what this gateway costs over a bare pass-through, side by side with a peer
 * gateway, all in front of the same fake upstream, in one run on one machine.
 *
 *   npm run bench -- overhead
 *   node --import tsx bench/overhead.bench.ts
 *
 * Targets: the fake upstream itself, the bare Node pass-through (bench/limits/bare-server.ts), the
 * same pass-through on Fastify (bench/limits/fastify-server.ts, the framework's floor), this
 * gateway (the bundle `npm start` runs) with the memory store and with Redis, and the Portkey OSS
 * gateway (installed on first use outside the repository: the run's only network use). Closed-loop
 * rounds at 1, 16 and 64 connections, JSON and streams, from a load-generator process; each server
 * under test pinned to core 0, the load generator, the fake upstream and this process to core 1
 * (taskset; unpinned without it). PostgreSQL and Redis are not pinned.
 *
 * Environment: BENCH_ROUNDS (3; each figure is the median of the rounds), BENCH_REQUESTS per round
 * at 16 and 64 connections (3000), BENCH_REQUESTS_C1 per round at one connection (1000),
 * BENCH_ROUND_SECONDS (10: no request is sent after this in a round), BENCH_WARMUP_SECONDS (10:
 * each target's warm-up, of JSON requests and then as long of streams), BENCH_PORTKEY_DIR (where Portkey is installed; default
 * ~/.cache/dsc-bench/portkey-<version>), BENCH_PROFILE_DIR (the gateways and the pass-throughs write
 * V8 CPU profiles there; the log tells how many requests each answered in all, the number
 * profile-phases.mjs divides by), BENCH_NODE_ARGS (node flags for them), BENCH_SERVER_NODE (the node that
 * runs the servers), DATABASE_URL (a PostgreSQL on which a scratch database is created and
 * dropped; without it an embedded one), REDIS_URL (else a redis-server of its own when one is on
 * PATH or in REDIS_SERVER_BIN; without either the Redis rows are skipped), BENCH_RESULTS_FILE (the
 * figures as JSON there instead of the report), BENCH_BASELINE (the server.js of another build of the
 * gateway, run beside this one as one more target with the memory store, to measure a change in
 * one run: build it into a folder of the repository, e.g. `.cache/baseline`, so that it finds the
 * packages in node_modules; such a run measures no cluster rows, prints its tables and leaves
 * docs/benchmarks.md alone), BENCH_ONLY (the targets to run, e.g.
 * `bare,gateway-memory,gateway-baseline`: the others are skipped, and the run, like one beside a
 * baseline, leaves the docs alone; `gateway-baseline-redis`, the baseline build with Redis, runs
 * only when named there). Only 127.0.0.1 is contacted once Portkey is installed. Prints the
 * tables and writes them, with the method, to docs/benchmarks.md.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabaseClient } from "@dsc/db";
import pg from "pg";
import { type LoadGenerator, startLoadGenerator } from "./overhead/load-rounds.ts";
import type { Cell, CellFigures, DatabaseServer, RoundLimits } from "./overhead/measure.ts";
import { measureCell, medianFigures } from "./overhead/measure.ts";
import {
  aimFigures,
  aimsTable,
  cellKey,
  cellTable,
  frameworkComparison,
  type Medians,
  optOutComparison,
  sideBySideTable,
  workersTable,
} from "./overhead/overhead-report.ts";
import {
  ensurePortkey,
  PORTKEY_VERSION,
  portkeyDir,
  portkeyHeaders,
  startPortkey,
} from "./overhead/portkey.ts";
import { READING } from "./overhead/reading.ts";
import {
  chatBodies,
  type SkippedTarget,
  TARGET_IDS,
  TARGET_NAMES,
  type Target,
  type TargetId,
} from "./overhead/targets.ts";
import { benchRun } from "./support/bench-run.ts";
import { createBenchTenant } from "./support/bench-tenant.ts";
import { BARE_SERVER, buildServers, FASTIFY_SERVER } from "./support/build-servers.ts";
import { startGateway } from "./support/gateway-process.ts";
import { CAN_PIN, type Placement, type Running, SERVER_NODE_ARGS, start } from "./support/processes.ts";
import { redisForBench } from "./support/redis-for-bench.ts";
import { REPORT, RESULTS_FILE, writeReportSection, writeResults } from "./support/report.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LIMITS: RoundLimits = {
  requests: Number(process.env.BENCH_REQUESTS ?? 3_000),
  requestsAtOne: Number(process.env.BENCH_REQUESTS_C1 ?? 1_000),
  maxSeconds: Number(process.env.BENCH_ROUND_SECONDS ?? 10),
};
/**
 * Seconds of JSON requests, then of streams, before any target is measured: long enough for V8's
 * optimizing compiler to settle. After 1,000 requests of each it was still compiling through
 * the measured rounds, on helper threads whose CPU counts: a seventh of the gateway's CPU per
 * request, and a fifth of the bare server's.
 */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
/**
 * The servers under measurement run with V8's collection trace, read for the GC columns: about one
 * line per 500 requests, and what showed that every request outlived a collection (2026-12-05).
 */
const TRACED = { traceGc: true };
const BASELINE = process.env.BENCH_BASELINE ? path.resolve(process.env.BENCH_BASELINE) : null;
/** the targets this run is limited to (BENCH_ONLY), or null for all */
const ONLY = onlyTargets(process.env.BENCH_ONLY);
/** a run that measures a change, not the state of the project: no cluster rows, docs left alone */
const IS_COMPARISON = BASELINE !== null || ONLY !== null;
const CELLS: Cell[] = (["json", "stream"] as const).flatMap((kind) =>
  [1, 16, 64].map((connections) => ({ kind, connections })),
);
/** the cells of the cluster rows: enough load for two processes to matter */
const WORKER_CELLS: Cell[] = [
  { kind: "json", connections: 16 },
  { kind: "json", connections: 64 },
  { kind: "stream", connections: 16 },
];
const PEPPER = `bench-pepper-${randomBytes(16).toString("hex")}`;
const METRICS_TOKEN = randomBytes(24).toString("hex");
const MODEL = "deepseek-chst-1.0";
const SERVER_CORE = 0;
const LOAD_CORE = 1;
const UNDER_TEST: Placement = { cpus: String(SERVER_CORE) };
const LOAD_SIDE: Placement = { cpus: String(LOAD_CORE) };
/** the cores whose figures each round reads; none when nothing is pinned */
const PINNED_CORES = CAN_PIN ? { server: SERVER_CORE, load: LOAD_CORE } : null;
/** every core: what "unpinned" means for a child of this process once it is pinned (children inherit it) */
const ANY_CORE: Placement = { cpus: `0-${os.cpus().length - 1}` };
const LISTENING = /listening (http:\/\/127\.0\.0\.1:\d+)/;
const FAKE_UPSTREAM = path.join(ROOT, "bench/support/fake-upstream.mjs");
const log = (message: string) => process.stderr.write(`[overhead.bench] ${message}\n`);

/** This process (every thread) joins the load side, so that the server's core runs the server alone. */
function pinThisProcess(): void {
  if (CAN_PIN)
    spawnSync("taskset", ["-a", "-p", "-c", LOAD_SIDE.cpus ?? "1", String(process.pid)], { stdio: "ignore" });
}

/** Whether the built gateway knows GATEWAY_WORKERS (node:cluster), read from its bundle. */
function gatewayHasWorkers(): boolean {
  const dist = path.join(ROOT, "apps/gateway/dist");
  return readdirSync(dist)
    .filter((name) => name.endsWith(".js"))
    .some((name) => readFileSync(path.join(dist, name), "utf8").includes("GATEWAY_WORKERS"));
}

interface Setting {
  database: { url: string; origin: string };
  /** the database server, when it runs on this machine: its CPU is charged to the gateway's rounds */
  databaseServer: DatabaseServer | null;
  redis: { url: string; origin: string } | null;
  dataDir: string;
  upstreamUrl: string;
  secret: string;
  portkey: { entry: string } | { unavailable: string };
}

function gatewayEnv(setting: Setting, extra: Record<string, string>): Record<string, string> {
  return {
    DATABASE_URL: setting.database.url,
    DATA_DIR: setting.dataDir,
    API_KEY_PEPPER: PEPPER,
    // npm start gives the gateway a metrics token, so its request timing is on
    METRICS_TOKEN,
    UPSTREAM_BASE_URL: `${setting.upstreamUrl}/v1`,
    UPSTREAM_MODEL: "bench-model",
    ...extra,
  };
}

/** Every target's server, each on the core under test; a target that cannot run is skipped with a reason. */
async function startTargets(
  setting: Setting,
  onCleanup: (cleanup: () => Promise<unknown>) => void,
): Promise<{ targets: Target[]; skipped: SkippedTarget[] }> {
  const targets: Target[] = [];
  const skipped: SkippedTarget[] = [];
  const isWanted = (id: TargetId) => {
    if (ONLY === null || ONLY.has(id)) return true;
    skipped.push({ id, reason: "not in BENCH_ONLY" });
    return false;
  };
  const started = async (server: Promise<Running>) => {
    const running = await server;
    onCleanup(running.stop);
    return running;
  };
  const gatewayHeaders = { authorization: `Bearer ${setting.secret}` };
  // the direct row's upstream is a second one, on the core under test like every other target
  if (isWanted("direct"))
    targets.push({
      id: "direct",
      server: await started(start([FAKE_UPSTREAM], {}, LISTENING, UNDER_TEST)),
      headers: {},
      bodies: chatBodies("bench-model"),
    });
  if (isWanted("bare"))
    targets.push({
      id: "bare",
      server: await started(
        start(
          [...SERVER_NODE_ARGS, BARE_SERVER, "proxy", `${setting.upstreamUrl}/v1`],
          {},
          LISTENING,
          UNDER_TEST,
          TRACED,
        ),
      ),
      headers: {},
      bodies: chatBodies(MODEL),
    });
  // the framework's floor: the bare server's work behind Fastify's router, parser and reply
  if (isWanted("fastify"))
    targets.push({
      id: "fastify",
      server: await started(
        start(
          [...SERVER_NODE_ARGS, FASTIFY_SERVER, `${setting.upstreamUrl}/v1`],
          {},
          LISTENING,
          UNDER_TEST,
          TRACED,
        ),
      ),
      headers: {},
      bodies: chatBodies(MODEL),
    });
  // one process each: with Redis the gateway would otherwise run one per core
  const gateway = async (id: TargetId, env: Record<string, string>, build?: string) => {
    const server = await started(
      startGateway(
        SERVER_NODE_ARGS,
        gatewayEnv(setting, { GATEWAY_WORKERS: "1", ...env }),
        UNDER_TEST,
        build,
        TRACED,
      ),
    );
    targets.push({ id, server, headers: gatewayHeaders, bodies: chatBodies(MODEL) });
  };
  const noRedis = "no REDIS_URL and no redis-server to start";
  if (isWanted("gateway-memory")) await gateway("gateway-memory", {});
  // The same process, asked with the data-collection opt-out: everything on but the chat log
  // (masking, sealing, its inserts), the largest single feature; not one of the aims.
  if (isWanted("gateway-memory-opt-out")) {
    const memory = targets.find((target) => target.id === "gateway-memory");
    if (memory)
      targets.push({
        ...memory,
        id: "gateway-memory-opt-out",
        headers: { ...gatewayHeaders, "x-data-opt-out": "true" },
      });
    else
      skipped.push({
        id: "gateway-memory-opt-out",
        reason: "it asks the memory store's gateway, not in BENCH_ONLY",
      });
  }
  if (BASELINE && isWanted("gateway-baseline")) await gateway("gateway-baseline", {}, BASELINE);
  if (isWanted("gateway-redis")) {
    if (setting.redis) await gateway("gateway-redis", { REDIS_URL: setting.redis.url });
    else skipped.push({ id: "gateway-redis", reason: noRedis });
  }
  // only when asked for by name: a comparison of the limits' store
  if (BASELINE && ONLY?.has("gateway-baseline-redis")) {
    if (setting.redis) await gateway("gateway-baseline-redis", { REDIS_URL: setting.redis.url }, BASELINE);
    else skipped.push({ id: "gateway-baseline-redis", reason: noRedis });
  }
  if (isWanted("portkey")) {
    if ("entry" in setting.portkey)
      targets.push({
        id: "portkey",
        server: await started(startPortkey(setting.portkey.entry, UNDER_TEST)),
        headers: portkeyHeaders(`${setting.upstreamUrl}/v1`),
        bodies: chatBodies("bench-model"),
      });
    else skipped.push({ id: "portkey", reason: setting.portkey.unavailable });
  }
  return { targets, skipped };
}

/**
 * Requests each pinned server answered in all, warm-up included, logged at the end: what a CPU
 * profile of its whole life (BENCH_PROFILE_DIR), or any count of its whole life, is divided by.
 */
const answered = new Map<Running, { names: Set<string>; requests: number }>();
function countAnswered(target: Target, requests: number): void {
  const entry = answered.get(target.server) ?? { names: new Set<string>(), requests: 0 };
  entry.names.add(TARGET_NAMES[target.id]);
  entry.requests += requests;
  answered.set(target.server, entry);
}

async function warmUp(generator: LoadGenerator, targets: Target[]): Promise<void> {
  // bounded by time: the cap is what the fastest target here (some 30,000 a second) answers in it
  const cap = 50_000 * WARMUP_SECONDS;
  const warmup = { requests: cap, requestsAtOne: cap, maxSeconds: WARMUP_SECONDS };
  for (const target of targets) {
    log(`${TARGET_NAMES[target.id]}: warming up (${WARMUP_SECONDS} s of JSON requests, as long of streams)`);
    for (const kind of ["json", "stream"] as const) {
      const figures = await measureCell(generator, target, { kind, connections: 16 }, warmup);
      countAnswered(target, figures.requests);
    }
  }
}

function roundNote(figures: CellFigures): string {
  const cpu =
    figures.cpuMicrosPerRequest === null ? "" : `, CPU ${figures.cpuMicrosPerRequest.toFixed(0)} µs/req`;
  const database =
    figures.databaseMicrosPerRequest === null
      ? ""
      : `, PostgreSQL ${figures.databaseMicrosPerRequest.toFixed(0)} µs/req`;
  const gc =
    figures.gcMicrosPerRequest === null
      ? ""
      : `, GC ${figures.gcMicrosPerRequest.toFixed(0)} µs/req, ${figures.promotedBytesPerRequest?.toFixed(0)} B promoted/req, ${figures.fullCollections} full collections`;
  const core =
    figures.othersOnCoreMicrosPerRequest === null
      ? ""
      : `, others on its core ${figures.othersOnCoreMicrosPerRequest.toFixed(0)} µs/req, steal ${figures.stealMicrosPerRequest?.toFixed(0)} µs/req, load core idle ${((figures.loadCoreIdleShare ?? 0) * 100).toFixed(0)} %`;
  return (
    `${figures.requestsPerSecond.toFixed(0)} req/s, p50 ${figures.p50.toFixed(2)} ms, ` +
    `p99 ${figures.p99.toFixed(2)} ms, first byte p50 ${figures.firstByteP50.toFixed(2)} ms${cpu}${gc}${database}${core}`
  );
}

/**
 * ROUNDS rounds of every cell on every target. All servers run throughout and take turns cell by
 * cell, so that whatever else the machine does weighs on every target alike; each round starts at
 * the next target, since what one target leaves behind (its writers' batches, a collection) falls
 * on the one after it.
 */
async function measureTargets(
  generator: LoadGenerator,
  targets: Target[],
  cells: Cell[],
  databaseServer: DatabaseServer | null,
): Promise<Medians> {
  const rounds = new Map<string, CellFigures[]>();
  for (let round = 1; round <= ROUNDS; round++) {
    const order = [
      ...targets.slice((round - 1) % targets.length),
      ...targets.slice(0, (round - 1) % targets.length),
    ];
    for (const cell of cells) {
      for (const target of order) {
        const database = target.id.startsWith("gateway") ? databaseServer : null;
        const figures = await measureCell(generator, target, cell, LIMITS, database, PINNED_CORES);
        countAnswered(target, figures.requests);
        log(
          `round ${round}, ${cell.kind} c=${cell.connections}, ${TARGET_NAMES[target.id]}: ${roundNote(figures)}`,
        );
        const key = `${target.id} ${cellKey(cell)}`;
        rounds.set(key, [...(rounds.get(key) ?? []), figures]);
      }
    }
  }
  const medians: Medians = {};
  for (const target of targets) {
    medians[target.id] = Object.fromEntries(
      cells.map((cell) => [cellKey(cell), medianFigures(rounds.get(`${target.id} ${cellKey(cell)}`) ?? [])]),
    );
  }
  return medians;
}

interface WorkerRow {
  workers: number;
  cells: Record<string, CellFigures>;
}

/**
 * The gateway with Redis as one process and as a cluster of two, unpinned, driven by a load
 * generator of its own (also unpinned): what two cores allow when the gateway may use both.
 */
async function measureWorkers(setting: Setting): Promise<WorkerRow[] | string> {
  if (!setting.redis) return "skipped: they need Redis";
  if (!gatewayHasWorkers()) return "skipped: this gateway's build has no GATEWAY_WORKERS yet";
  const generator = await startLoadGenerator(ANY_CORE);
  const servers: Running[] = [];
  try {
    const redisUrl = setting.redis.url;
    const targets: Target[] = [];
    for (const workers of [1, 2]) {
      const server = await startGateway(
        SERVER_NODE_ARGS,
        gatewayEnv(setting, { REDIS_URL: redisUrl, GATEWAY_WORKERS: String(workers) }),
        ANY_CORE,
        undefined,
        TRACED,
      );
      servers.push(server);
      targets.push({
        id: "gateway-redis",
        server,
        headers: { authorization: `Bearer ${setting.secret}` },
        bodies: chatBodies(MODEL),
      });
    }
    await warmUp(generator, targets);
    const rounds = targets.map(() => new Map<string, CellFigures[]>());
    for (let round = 1; round <= ROUNDS; round++) {
      for (const cell of WORKER_CELLS) {
        for (const [index, target] of targets.entries()) {
          const figures = await measureCell(generator, target, cell, LIMITS, setting.databaseServer);
          log(
            `round ${round}, ${cell.kind} c=${cell.connections}, ${index + 1} gateway process(es): ${roundNote(figures)}`,
          );
          const measured = rounds[index] as Map<string, CellFigures[]>;
          measured.set(cellKey(cell), [...(measured.get(cellKey(cell)) ?? []), figures]);
        }
      }
    }
    return rounds.map((measured, index) => ({
      workers: index + 1,
      cells: Object.fromEntries([...measured].map(([key, figures]) => [key, medianFigures(figures)])),
    }));
  } finally {
    for (const server of servers) await server.stop();
    await generator.stop();
  }
}

/**
 * The run's database when its PostgreSQL server runs on this machine (this connection's backend
 * shows in /proc as a postgres process; a server elsewhere, or in another pid namespace, is not
 * measured): its connections and the server's background processes (walwriter, checkpointer, …),
 * listed afresh at each read, from a connection kept for the run. The gateway's writers insert up
 * to a second after the answers (their flush interval), so a round's database CPU is read this long
 * after it.
 */
async function databaseServerOf(
  url: string,
  onCleanup: (cleanup: () => Promise<unknown>) => void,
): Promise<DatabaseServer | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  onCleanup(() => client.end());
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const stat = await readFile(`/proc/${rows[0]?.pid}/stat`, "utf8").catch(() => null);
  if (!stat?.includes("(postgres)")) return null;
  return {
    processes: async () =>
      (
        await client.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = current_database() OR datname IS NULL",
        )
      ).rows.map((row) => row.pid),
    settleMs: 1_200,
  };
}

/** BENCH_ONLY's targets, checked: an unknown name, or the baseline without its build, is refused. */
function onlyTargets(list: string | undefined): Set<TargetId> | null {
  if (!list) return null;
  const ids = list.split(",").map((id) => id.trim());
  const unknown = ids.filter((id) => !(TARGET_IDS as readonly string[]).includes(id));
  if (unknown.length > 0)
    throw new Error(`BENCH_ONLY: unknown targets ${unknown.join(", ")} (known: ${TARGET_IDS.join(", ")})`);
  if (!BASELINE && ids.some((id) => id.startsWith("gateway-baseline")))
    throw new Error("BENCH_ONLY names the baseline build: set BENCH_BASELINE to its server.js");
  return new Set(ids as TargetId[]);
}

async function main() {
  const loadBefore = os.loadavg();
  if (!CAN_PIN) log("taskset is missing: every process runs unpinned");
  await benchRun("overhead", log, async (run) => {
    const { dataDir } = run;
    await buildServers(log);
    const redis = await redisForBench();
    if (redis) run.onCleanup(redis.stop);
    const database = await run.database();
    const db = createDatabaseClient(database.url, { maxConnections: 2 });
    const { secret } = await createBenchTenant(db, { pepper: PEPPER, model: MODEL }).finally(() =>
      db.$disconnect(),
    );
    // a run without Portkey does not install it
    const portkey =
      ONLY && !ONLY.has("portkey")
        ? { unavailable: "not in BENCH_ONLY" }
        : await ensurePortkey(portkeyDir(), log);
    if ("unavailable" in portkey) log(`Portkey skipped: ${portkey.unavailable}`);
    // after the database and Redis, which a run may start itself and which stay unpinned
    pinThisProcess();
    const upstream = await start([FAKE_UPSTREAM], {}, LISTENING, LOAD_SIDE);
    run.onCleanup(upstream.stop);
    const databaseServer = await databaseServerOf(database.url, run.onCleanup);
    if (!databaseServer) log("PostgreSQL does not run on this machine: its CPU is not measured");
    const setting: Setting = {
      database,
      databaseServer,
      redis,
      dataDir,
      upstreamUrl: upstream.url,
      secret,
      portkey,
    };

    const { targets, skipped } = await startTargets(setting, run.onCleanup);
    const generator = await startLoadGenerator(LOAD_SIDE);
    run.onCleanup(generator.stop);
    await warmUp(generator, targets);
    const medians = await measureTargets(generator, targets, CELLS, setting.databaseServer);
    // the pinned servers are stopped before the cluster rows, which may use both cores
    for (const target of targets) await target.server.stop();
    for (const [server, { names, requests }] of answered)
      log(`${[...names].join(" and ")} (pid ${server.pid}) answered ${requests} requests in all`);
    // a comparison run is of the pinned targets only
    const workers = IS_COMPARISON ? "skipped in a comparison run" : await measureWorkers(setting);
    const loadAfter = os.loadavg();

    if (RESULTS_FILE) {
      await writeResults({ medians, aims: aimFigures(medians), skipped, workers, pinned: CAN_PIN });
      return;
    }
    const report = formatReport({
      medians,
      skipped,
      workers,
      origins: { database: database.origin, redis: redis?.origin ?? null },
      load: [loadBefore[0] ?? 0, loadAfter[0] ?? 0],
    });
    process.stdout.write(`${report}\n`);
    if (IS_COMPARISON) {
      log("a comparison run (BENCH_BASELINE, BENCH_ONLY) leaves docs/benchmarks.md alone");
      return;
    }
    await writeReportSection(
      "overhead",
      "Gateway overhead beside a bare pass-through and Portkey (`bench/overhead.bench.ts`)",
      [methodOf(skipped), "", READING, "", report],
    );
    log(`written to ${path.relative(ROOT, REPORT)}`);
  });
}

function formatReport(input: {
  medians: Medians;
  skipped: SkippedTarget[];
  workers: WorkerRow[] | string;
  origins: { database: string; redis: string | null };
  load: [number, number];
}): string {
  const cpus = os.cpus();
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus[0]?.model ?? "cpu"} × ${cpus.length} cores, ` +
      `${Math.round(os.totalmem() / 1024 ** 3)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}; ` +
      `${input.origins.database}; Redis: ${input.origins.redis ?? "none (row skipped)"}; ` +
      `${CAN_PIN ? "pinned with taskset" : "unpinned (no taskset)"}. ` +
      `Load average (1 min) before / after: ${input.load[0].toFixed(2)} / ${input.load[1].toFixed(2)}.`,
    "",
    `Medians of ${ROUNDS} rounds; ${LIMITS.requests} requests a round at 16 and 64 connections, ` +
      `${LIMITS.requestsAtOne} at one, none sent after ${LIMITS.maxSeconds} s:`,
    "",
    ...sideBySideTable(input.medians, input.skipped),
    "",
    "The targets of issue 18, from the figures above:",
    "",
    ...aimsTable(input.medians),
    "",
    ...[frameworkComparison(input.medians), optOutComparison(input.medians)].flatMap((line) =>
      line ? [line, ""] : [],
    ),
    "Every cell:",
    "",
    ...cellTable(input.medians, CELLS),
    "",
    ...(typeof input.workers === "string"
      ? [`Gateway processes (GATEWAY_WORKERS) 1 and 2 with Redis, unpinned: ${input.workers}.`]
      : [
          "Gateway processes (GATEWAY_WORKERS) with Redis, unpinned, the load generator a process of its own, also unpinned:",
          "",
          ...workersTable(input.workers, WORKER_CELLS),
        ]),
  ].join("\n");
}

function methodOf(skipped: SkippedTarget[]): string {
  const skips = skipped.map((entry) => ` ${TARGET_NAMES[entry.id]}: skipped (${entry.reason}).`).join("");
  const unpinned = CAN_PIN ? "" : " In this run taskset was missing: nothing was pinned.";
  return `Method: \`npm run bench -- overhead\` (rerun it to refresh this section). One run on one machine
drives seven targets in front of the same fake OpenAI-compatible upstream (\`bench/support/fake-upstream.mjs\`,
a fixed completion, or for \`"stream": true\` the same as six server-sent events written at once):
the upstream itself (a second instance, so that it sits where the other servers do), the bare Node
pass-through (\`bench/limits/bare-server.ts\`: parses the body, forwards it with undici, answers the
JSON or pipes the stream through), the same pass-through on Fastify (\`bench/limits/fastify-server.ts\`:
the bare server's work behind the framework the gateway is built on, its router, body parser and reply,
with no hooks, logger or schemas: the floor under any gateway built on it), this gateway as \`npm start\` runs it (\`apps/gateway/dist/server.js\`,
built first, \`LOG_LEVEL=info\` and a \`METRICS_TOKEN\` as \`npm start\` gives it, one process) with the
memory store and with Redis, the memory store's also asked with \`X-Data-Opt-Out: true\` (everything
on but the chat log: a row to compare with, not one of the aims), and the Portkey OSS gateway ${PORTKEY_VERSION} (\`@portkey-ai/gateway\` from npm, with
\`@hono/node-server\` held at 1.13.5 through npm \`overrides\`, installed by the benchmark outside the
repository; its own \`build/start-server.js\` with \`--headless\`, held to 127.0.0.1; routed with
\`x-portkey-provider: openai\` and \`x-portkey-custom-host\`). The gateway runs against a scratch database
on a PostgreSQL server of its own, on a tier whose limits never refuse, with everything on: key
authentication, rate limits and token reservation, metering (usage events), and PII-masked,
encrypted chat logs (the organization's defaults). The body has no \`temperature\`, and the response
cache only answers temperature 0, so no request is a cache hit. Streams ask for the usage chunk
(\`stream_options.include_usage\`), as the gateway asks its upstream anyway. Load: a separate load
generator process (\`bench/overhead/load-generator.mjs\`, an undici Pool over keep-alive connections), closed
loop (each of c connections sends its next request when its last is answered) at c = 1, 16 and 64,
JSON and streams; latency is until the whole answer is read, first byte until its body's first
chunk, and a stream counts only if it ends with \`[DONE]\`. Each server under test is pinned to core 0
(taskset), the load generator, the fake upstream and the benchmark's own process to core 1;
PostgreSQL and Redis are not pinned. All servers run for the whole measurement and take turns cell
by cell, each round starting at the next target, after a warm-up of each (${WARMUP_SECONDS} s of JSON requests, then as long of streams, so that V8's
optimizing compiler has settled: after 1,000 requests it was still compiling through the rounds);
each figure is the median of its rounds. CPU is the server's process
CPU during the round from /proc (all threads: the sum of their \`schedstat\`, or \`stat\`'s utime + stime
when threads ended during the round; the event-loop thread alone: its \`schedstat\`) divided by the
round's requests. Each round's log line (and the results file, not the tables) also gives what core 0
did besides the server meanwhile (its busy time in \`/proc/stat\` less the server's CPU: the other
servers' timers and collections, interrupts, an unpinned process) and the time the hypervisor took
from it, per request, and the share of the round the load side's core was idle (near zero, the load
side set the pace and the server got fewer requests per wake-up than it could take): whether a
round's server was disturbed, starved or slow on its own. The garbage collector's columns (the servers under test, the fake upstream aside) come
from V8's own trace (\`--trace-gc-nvp\`, one line on stdout after each collection, read by the
benchmark): the time it held the main thread (each collection's pause, and a full collection's
incremental marking steps; its helper threads' work is in the process CPU only) and the bytes its
young-generation collections promoted into the old generation, per request of the round; a server
that keeps each request through a collection shows there before its CPU moves. For the gateway's rows, PostgreSQL's CPU too (from /proc, when it runs on this
machine: the scratch database's connections and the server's background processes): during the
round and the 1.2 s after it, in which the batched writers insert the round's usage events and chat
logs, divided by the round's requests; it shares the two cores with the rest, so what it spends is
also taken from the servers under test. Portkey's stream path waits a fixed 25 ms before it
relays the first event (\`setTimeout(…, 25)\` in its stream transformer, then 1 ms between events of
some providers), which its first-byte figure shows; under this Node its \`@hono/node-server\` also prints
"Failed to find Response internal state key" at start and then reads every response body through its
stream instead of taking it whole. Last, with Redis and when the gateway's build knows
\`GATEWAY_WORKERS\` (node:cluster), the gateway runs as one process and as two, neither pinned, nor their
load generator (a process of its own): what the two cores allow a gateway that may use both, with the
CPU of all its processes.${unpinned}${skips}`;
}

await main();
