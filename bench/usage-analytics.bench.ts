/**
 * Usage analytics benchmark: every query shape of the dashboard's usage page (each grouping ×
 * bucket, for all organizations and for one, some filters, the quota) over the roll-ups of ten
 * million usage events, and whether the usage writer, which keeps the roll-ups in the statement
 * that inserts the events, keeps pace with 2,000 events a second.
 *
 *   npm run bench -- usage-analytics
 *   node --import tsx bench/usage-analytics.bench.ts
 *
 * Environment: BENCH_USAGE_EVENTS (10000000; at least 100000), DATABASE_URL (a PostgreSQL on
 * which a scratch database is created and dropped; without it an embedded one runs in a
 * temporary directory), BENCH_USAGE_KEEP=1 (the seeded database is kept, named after the event
 * count — the embedded one's folder in the system's temporary directory —, and a later run with the
 * same count reuses it instead of seeding again: for trying a change to the queries without the
 * twenty minutes of seeding; its report says so).
 * Only 127.0.0.1 is contacted unless DATABASE_URL says otherwise. Prints a Markdown section and
 * writes it to docs/benchmarks.md.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  getUsageQuota,
  insertUsageEvents,
  queryUsageAnalytics,
  systemClock,
  type UsageAnalyticsQuery,
  type UsageRecord,
} from "@dsc/core";
import { createDatabaseClient, type Database } from "@dsc/db";
import type { UsageBucket, UsageGrouping } from "@dsc/vocabulary";
import pg from "pg";
import { REPORT, writeReportSection } from "./support/report.ts";
import { scratchDatabase } from "./support/scratch-database.ts";
import {
  SEED_KEYS_PER_ORGANIZATION,
  SEED_MODELS,
  SEED_ORGANIZATIONS,
  type SeedFigures,
  seedKeyId,
  seedOrganizationId,
  seedUsage,
} from "./support/seed-usage.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const EVENTS = Number(process.env.BENCH_USAGE_EVENTS ?? 10_000_000);
const KEEP = process.env.BENCH_USAGE_KEEP === "1";
const DAYS = 90;
/** runs of each query: the first may meet cold pages, the median is what people wait */
const RUNS = 7;
const TARGET_MS = 200;
/** the writer's test: two gateways, each a batch of 500 every half second, for 30 s */
const GATEWAYS = 2;
const BATCH = 500;
const BATCH_EVERY_MS = 500;
const WRITE_SECONDS = 30;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const log = (message: string) => process.stderr.write(`[usage-analytics.bench] ${message}\n`);

if (!Number.isInteger(EVENTS) || EVENTS < 100_000) {
  throw new Error("BENCH_USAGE_EVENTS must be a whole number of at least 100000");
}

// ---------------------------------------------------------------- the queries

interface Shape {
  name: string;
  query: Omit<UsageAnalyticsQuery, "visibleTo" | "from" | "to"> & { spanMs: number };
}

const LONGEST: Record<UsageBucket, number> = { minute: DAY, hour: 31 * DAY, day: 400 * DAY };
const ONE_ORG = seedOrganizationId(7);

function shapes(): Shape[] {
  const list: Shape[] = [];
  const groupings: UsageGrouping[] = ["none", "tier", "organization", "model", "apiKey", "endUser"];
  for (const scope of ["all", "one"] as const) {
    for (const groupBy of groupings) {
      if (groupBy === "endUser" && scope === "all") continue; // only within one organization
      for (const bucket of ["minute", "hour", "day"] as const) {
        list.push({
          name: `${scope === "all" ? "all organizations" : "one organization"}, by ${groupBy}, ${bucket}s`,
          query: {
            organizationId: scope === "all" ? null : ONE_ORG,
            bucket,
            groupBy,
            spanMs: LONGEST[bucket],
          },
        });
      }
    }
  }
  list.push(
    {
      name: "one key (filter), by model, hours",
      query: {
        organizationId: null,
        bucket: "hour",
        groupBy: "model",
        apiKeyId: seedKeyId(1_007),
        spanMs: 31 * DAY,
      },
    },
    {
      name: "one model (filter), by organization, days",
      query: {
        organizationId: null,
        bucket: "day",
        groupBy: "organization",
        modelId: SEED_MODELS[1]?.id,
        spanMs: 400 * DAY,
      },
    },
    {
      name: "all organizations, by key, hours of the last 24 h",
      query: { organizationId: null, bucket: "hour", groupBy: "apiKey", spanMs: DAY },
    },
    {
      name: "all organizations, by organization, days of the last 7",
      query: { organizationId: null, bucket: "day", groupBy: "organization", spanMs: 7 * DAY },
    },
  );
  return list;
}

interface Timing {
  name: string;
  medianMs: number;
  maxMs: number;
  points: number;
  groups: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

async function timeShape(db: Database, shape: Shape, now: Date): Promise<Timing> {
  const { spanMs, ...rest } = shape.query;
  const query: UsageAnalyticsQuery = {
    ...rest,
    visibleTo: null,
    from: new Date(now.getTime() - spanMs),
    to: now,
  };
  const times: number[] = [];
  let points = 0;
  let groups = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const answer = await queryUsageAnalytics({ db, clock: systemClock }, query);
    times.push(performance.now() - started);
    points = answer.points.length;
    groups = answer.groups.length;
  }
  return { name: shape.name, medianMs: median(times), maxMs: Math.max(...times), points, groups };
}

async function timeQuota(db: Database): Promise<Timing> {
  const times: number[] = [];
  let keys = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    const quota = await getUsageQuota(
      { db, clock: systemClock },
      { organizationId: ONE_ORG, visibleTo: null },
    );
    times.push(performance.now() - started);
    keys = quota.keys.length;
  }
  return {
    name: "quota of one organization and its keys",
    medianMs: median(times),
    maxMs: Math.max(...times),
    points: 0,
    groups: keys,
  };
}

// ---------------------------------------------------------------- the writer

interface WriterFigures {
  batches: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  statementMedianMs: number;
  statementP95Ms: number;
  statementMaxMs: number;
  /** how long after its schedule the last batch was written */
  lagMs: number;
  /** the roll-ups' requests equal usage_event's rows after the writes */
  consistent: boolean;
}

function randomRecords(count: number, now: Date): UsageRecord[] {
  return Array.from({ length: count }, () => {
    const r = randomBytes(8);
    const organization = r.readUInt16LE(0) % SEED_ORGANIZATIONS;
    const key = organization + SEED_ORGANIZATIONS * ((r[2] ?? 0) % SEED_KEYS_PER_ORGANIZATION);
    return {
      requestId: `chatcmpl-${r.toString("hex")}`,
      organizationId: seedOrganizationId(organization),
      apiKeyId: seedKeyId(key),
      oauthClientId: null,
      modelId: SEED_MODELS[key % SEED_MODELS.length]?.id ?? null,
      endpoint: "/v1/chat/completions",
      status: (r[3] ?? 0) < 5 ? 429 : 200,
      latencyMs: 20 + (r.readUInt16LE(4) % 3_000),
      promptTokens: r.readUInt16LE(6) % 1_500,
      completionTokens: (r[5] ?? 0) * 2,
      cached: (r[3] ?? 0) > 240,
      endUserId: (r[2] ?? 0) % 4 === 0 ? `user-${(r[6] ?? 0) % 50}` : null,
      createdAt: now,
    };
  });
}

/**
 * Each gateway writes a batch of BATCH records every BATCH_EVERY_MS, one at a time as the usage
 * writer does; a batch that overruns delays the next, which is the lag.
 */
async function measureWriter(db: Database, sql: pg.Client): Promise<WriterFigures> {
  const statementMs: number[] = [];
  const started = performance.now();
  const batchesEach = Math.round((WRITE_SECONDS * 1_000) / BATCH_EVERY_MS);
  let lastDone = 0;
  await Promise.all(
    Array.from({ length: GATEWAYS }, async (_, gateway) => {
      for (let n = 0; n < batchesEach; n += 1) {
        const due = started + n * BATCH_EVERY_MS + (gateway * BATCH_EVERY_MS) / GATEWAYS;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const records = randomRecords(BATCH, new Date());
        const began = performance.now();
        await insertUsageEvents(db, records);
        const done = performance.now();
        statementMs.push(done - began);
        lastDone = Math.max(lastDone, done);
        // the schedule is bounded: a writer too slow for it stops at twice its time
        if (done - started > 2 * WRITE_SECONDS * 1_000) break;
      }
    }),
  );
  const seconds = (lastDone - started) / 1_000;
  const events = statementMs.length * BATCH;
  const sorted = [...statementMs].sort((a, b) => a - b);
  const check = await sql.query<{ rolled: string; events: string }>(
    `SELECT (SELECT sum(requests) FROM usage_rollup_month) AS rolled,
            (SELECT count(*) FROM usage_event) AS events`,
  );
  const row = check.rows[0];
  return {
    batches: statementMs.length,
    events,
    seconds,
    eventsPerSecond: events / seconds,
    statementMedianMs: median(statementMs),
    statementP95Ms: sorted[Math.ceil(0.95 * sorted.length) - 1] ?? Number.NaN,
    statementMaxMs: sorted.at(-1) ?? Number.NaN,
    lagMs: Math.max(0, lastDone - (started + WRITE_SECONDS * 1_000)),
    consistent: row !== undefined && row.rolled === row.events,
  };
}

// ---------------------------------------------------------------- the report

const ms = (value: number) => value.toFixed(value < 10 ? 1 : 0);
const count = (value: number) => Math.round(value).toLocaleString("en-US");
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20).toLocaleString("en-US")} MiB`;

function formatSection(
  seed: SeedFigures,
  timings: Timing[],
  writer: WriterFigures,
  context: {
    reusedFrom: Date | null;
    origin: string;
    version: string;
    loadBefore: number;
    loadAfter: number;
    totalSeconds: number;
  },
): string[] {
  const slowest = timings.reduce((worst, timing) => (timing.maxMs > worst.maxMs ? timing : worst));
  const overMedian = timings.filter((timing) => timing.medianMs >= TARGET_MS);
  const overMax = timings.filter((timing) => timing.maxMs >= TARGET_MS);
  return [
    "Method: `npm run bench -- usage-analytics` (`BENCH_USAGE_EVENTS` lowers the count for a quick try).",
    `A scratch database (${context.origin}, PostgreSQL ${context.version}) gets the schema of`,
    "`prisma/migrations` and `bench/support/seed-usage.ts`'s usage: usage_event rows made with",
    `\`generate_series\`, evenly over ${seed.days} days up to the run's start, over ${count(SEED_ORGANIZATIONS)}`,
    `organizations (on the seeded tiers in turn), ${count(SEED_ORGANIZATIONS * SEED_KEYS_PER_ORGANIZATION)} keys`,
    "(each calling one of three priced models) and 50 end users an organization (a quarter of the",
    "requests name one); then the roll-ups, built from those rows a day at a time by the usage",
    "writer's own SQL (`addToRollupsSql`), with minute rows for the last 48 hours only, as the worker",
    "keeps them; VACUUM ANALYZE. Each query is the real `queryUsageAnalytics` (or `getUsageQuota`)",
    `of \`@dsc/core\`, run ${RUNS} times in a row; the range is the longest its bucket allows, ending`,
    "now (minutes: 24 h; hours: 31 days; days: 400 days, which holds all 90). The writer's test is",
    `${GATEWAYS} simulated gateways, each writing a batch of ${BATCH} records through \`insertUsageEvents\``,
    `every ${BATCH_EVERY_MS} ms, one batch at a time as the usage writer does, for ${WRITE_SECONDS} s: 2,000`,
    "events a second over random organizations, keys and models.",
    "",
    ...(context.reusedFrom
      ? [
          `This run reused a database kept (BENCH_USAGE_KEEP) from a run of ${context.reusedFrom.toISOString()}: its query`,
          "ranges end then, and it also holds what migrations made since (from its rows) and earlier runs' writer tests",
          "wrote. Its seeding:",
        ]
      : []),
    `Seeding: ${count(seed.events)} events in ${seed.eventSeconds.toFixed(0)} s, roll-ups in`,
    `${seed.rollupSeconds.toFixed(0)} s, secondary indexes (dropped for the load) ${seed.indexSeconds.toFixed(0)} s,`,
    `VACUUM ANALYZE ${seed.vacuumSeconds.toFixed(0)} s.`,
    "",
    "| table | rows | size with indexes |",
    "| --- | ---: | ---: |",
    ...Object.keys(seed.rollupRows).map(
      (table) => `| ${table} | ${count(seed.rollupRows[table] ?? 0)} | ${mib(seed.sizes[table] ?? 0)} |`,
    ),
    "",
    "The max column holds each query's first run too, which may read pages no longer cached (after other work on",
    "the machine, as a dashboard would after a quiet night).",
    "",
    "| query | median ms | max ms | groups | points |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...timings.map(
      (timing) =>
        `| ${timing.name} | ${ms(timing.medianMs)} | ${ms(timing.maxMs)} | ${timing.groups} | ${count(timing.points)} |`,
    ),
    "",
    overMax.length === 0
      ? `Every query answered in under ${TARGET_MS} ms, in every run; the slowest run was ${ms(slowest.maxMs)} ms (${slowest.name}).`
      : `Over ${TARGET_MS} ms: ${overMedian.length} median(s) and ${overMax.length} run(s) at most; the slowest run was ${ms(slowest.maxMs)} ms (${slowest.name}).`,
    "",
    `Writer: ${count(writer.events)} events in ${writer.batches} batches over ${writer.seconds.toFixed(1)} s`,
    `(${count(writer.eventsPerSecond)} events/s); each batch's statement (insert and roll-ups) took`,
    `${ms(writer.statementMedianMs)} ms at the median, ${ms(writer.statementP95Ms)} ms at p95, ${ms(writer.statementMaxMs)} ms at most;`,
    `the last batch was written ${ms(writer.lagMs)} ms after its schedule ended`,
    `(${writer.lagMs < BATCH_EVERY_MS ? "it kept pace" : "it fell behind"}). Afterwards the roll-ups'`,
    `requests ${writer.consistent ? "equal" : "DO NOT equal"} usage_event's rows.`,
    "",
    `Load average ${context.loadBefore.toFixed(2)} before, ${context.loadAfter.toFixed(2)} after (2 cores shared with other work);`,
    `the whole run took ${(context.totalSeconds / 60).toFixed(1)} minutes.`,
  ];
}

// ---------------------------------------------------------------- seeding, once when kept

async function seedOnce(url: string, sql: pg.Client): Promise<SeedFigures> {
  const now = new Date();
  log(`seeding ${count(EVENTS)} usage events over ${DAYS} days`);
  const seed = await seedUsage(url, { events: EVENTS, days: DAYS, now, log });
  log(`seeded: events ${seed.eventSeconds.toFixed(0)} s, roll-ups ${seed.rollupSeconds.toFixed(0)} s`);
  if (KEEP) {
    await sql.query("CREATE TABLE bench_seed (seeded_at timestamptz NOT NULL, figures jsonb NOT NULL)");
    await sql.query("INSERT INTO bench_seed VALUES ($1, $2)", [now, JSON.stringify(seed)]);
  }
  return seed;
}

/**
 * A kept database's seed, or null when it has none yet; refused when an earlier run stopped in
 * the middle of seeding it.
 */
async function keptSeed(sql: pg.Client): Promise<{ seed: SeedFigures; now: Date } | null> {
  const marked = await sql.query("SELECT to_regclass('bench_seed') IS NOT NULL AS marked");
  if (!marked.rows[0]?.marked) {
    const events = await sql.query<{ any: boolean }>("SELECT EXISTS (SELECT FROM usage_event) AS any");
    if (events.rows[0]?.any)
      throw new Error("the kept database's seeding never finished: remove it and run again");
    return null;
  }
  const rows = await sql.query<{ seeded_at: Date; figures: SeedFigures }>(
    "SELECT seeded_at, figures FROM bench_seed",
  );
  const row = rows.rows[0];
  if (!row) throw new Error("the kept database has no seed figures: remove it and run again");
  log(`reusing the database seeded at ${row.seeded_at.toISOString()}`);
  return { seed: row.figures, now: row.seeded_at };
}

// ---------------------------------------------------------------- main

async function main() {
  const benchStarted = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  const dataDir = KEEP
    ? path.join(os.tmpdir(), `dsc-bench-usage-kept-${EVENTS}`)
    : await mkdtemp(path.join(os.tmpdir(), "dsc-bench-usage-"));
  await mkdir(dataDir, { recursive: true });
  await chmod(dataDir, 0o755); // an embedded PostgreSQL runs as another user when this runs as root
  const cleanups: (() => Promise<unknown>)[] = KEEP
    ? []
    : [async () => rm(dataDir, { recursive: true, force: true })];
  try {
    const database = await scratchDatabase(dataDir, log, KEEP ? { keepAs: `dsc_bench_usage_${EVENTS}` } : {});
    cleanups.push(database.drop);
    const db = createDatabaseClient(database.url, { maxConnections: 4 });
    cleanups.push(() => db.$disconnect());
    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    cleanups.push(() => sql.end());
    const version =
      (await sql.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v ?? "";

    const kept = KEEP ? await keptSeed(sql) : null;
    const seed = kept?.seed ?? (await seedOnce(database.url, sql));
    // a kept database's events end when it was seeded: its ranges end there too
    const seededAt = kept?.now ?? null;

    const timings: Timing[] = [];
    for (const shape of shapes()) {
      const timing = await timeShape(db, shape, seededAt ?? new Date());
      log(`${timing.name}: median ${ms(timing.medianMs)} ms, max ${ms(timing.maxMs)} ms`);
      timings.push(timing);
    }
    timings.push(await timeQuota(db));

    log(`writing ${GATEWAYS * (1_000 / BATCH_EVERY_MS) * BATCH} events/s for ${WRITE_SECONDS} s`);
    const writer = await measureWriter(db, sql);
    log(`writer: ${count(writer.eventsPerSecond)} events/s, statement p95 ${ms(writer.statementP95Ms)} ms`);

    const body = formatSection(seed, timings, writer, {
      reusedFrom: seededAt,
      origin: database.isEmbedded ? "embedded PostgreSQL" : "the PostgreSQL of DATABASE_URL",
      version: version.split(" ")[0] ?? version,
      loadBefore,
      loadAfter: os.loadavg()[0] ?? 0,
      totalSeconds: (performance.now() - benchStarted) / 1_000,
    });
    process.stdout.write(`${body.join("\n")}\n`);
    await writeReportSection(
      "usage-analytics",
      `Usage analytics: queries over the roll-ups of ${count(EVENTS)} events (\`bench/usage-analytics.bench.ts\`)`,
      body,
    );
    log(`written to ${path.relative(ROOT, REPORT)}`);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
    }
  }
}

await main();
