/**
 * Retention benchmark: the purge of expired conversation logs on a chat_log table of ten
 * million rows (one batch's latency and plan, the whole purge's rate), the same batch on a
 * table of 100,000 rows, and the read path that must never return an expired log.
 *
 *   npm run bench -- retention
 *   node --import tsx bench/retention.bench.ts
 *
 * Environment: BENCH_CHAT_LOG_ROWS (10000000; at least 100000), DATABASE_URL (a PostgreSQL on
 * which a scratch database is created and dropped; without it an embedded one runs in a
 * temporary directory). Only 127.0.0.1 is contacted unless DATABASE_URL says otherwise. Prints
 * a Markdown section and writes it to docs/benchmarks.md; once that section exists, a run against
 * DATABASE_URL replaces only its one-line summary of such a run, so the figures stay the
 * embedded server's.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  CHAT_LOG_PAGE_SIZE,
  type ChatLogPageStart,
  type Clock,
  chatLogContext,
  chatLogPageQuery,
  cliActor,
  getOrCreateDataKey,
  type MasterKeyring,
  parseMasterKeyring,
  purgeExpiredChatLogs,
  readChatLogs,
  seal,
} from "@dsc/core";
import { createDatabaseClient, type Database } from "@dsc/db";
import pg from "pg";
import { REPORT, reportSection, sectionMarkers } from "./support/report.ts";
import { scratchDatabase } from "./support/scratch-database.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ROWS = Number(process.env.BENCH_CHAT_LOG_ROWS ?? 10_000_000);
const SMALL_ROWS = 100_000;
const ORGANIZATIONS = 1_000;
/** Share of the big table already expired at the first purge: a worker some hours behind. */
const BACKLOG_SHARE = 0.01;
/** The small table's expired share: enough for several full batches of the default size. */
const SMALL_BACKLOG_SHARE = 0.25;
const READS = 5;
/** Purge runs per phase at most; each run is itself bounded by the function's maxBatches. */
const MAX_RUNS = 20;
const MODEL = "deepseek-chst-1.0";
const DAY_MS = 86_400_000;
const EXPIRY_INDEX = "chat_log_expires_at_idx";
const log = (message: string) => process.stderr.write(`[retention.bench] ${message}\n`);

if (!Number.isInteger(ROWS) || ROWS < SMALL_ROWS) {
  throw new Error(`BENCH_CHAT_LOG_ROWS must be a whole number of at least ${SMALL_ROWS}`);
}

// ---------------------------------------------------------------- the rows

// Row i belongs to organization (i × 7919) mod 1000: 7919 is prime to 1000, so each
// organization gets every thousandth row, spread over the whole heap as a steady stream of
// requests would spread it. Organization 0's logs are read back, so they carry real
// ciphertexts; organizations 50, 150, ... are under legal hold.
const READER = 0;
const organizationId = (k: number) => `org_bench${String(k).padStart(19, "0")}`;

interface Fill {
  rows: number;
  /** created_at of row 0; row i is written i × stepMs later, in heap order */
  startsAt: Date;
  stepMs: number;
  retentionDays: number;
}

/** created_at evenly over a span such that `share` of the rows are past expiry at `now`. */
function fillFor(rows: number, share: number, now: Date, retentionDays: number): Fill {
  const spanMs = (retentionDays * DAY_MS) / (1 - share);
  return { rows, startsAt: new Date(now.getTime() - spanMs), stepMs: spanMs / rows, retentionDays };
}

async function createOrganizations(sql: pg.Client, tierId: string) {
  await sql.query(
    `INSERT INTO organization (id, name, tier_id, legal_hold, updated_at)
     SELECT 'org_bench' || lpad(k::text, 19, '0'), 'bench ' || k, $1, k % 100 = 50, now()
       FROM generate_series(0, $2::int - 1) AS k`,
    [tierId, ORGANIZATIONS],
  );
  // organization 0's key is a real one, made by getOrCreateDataKey; these are never unwrapped
  await sql.query(
    `INSERT INTO data_key (id, organization_id, wrapped_key, master_key_version)
     SELECT 'dk_bench' || lpad(k::text, 19, '0'), 'org_bench' || lpad(k::text, 19, '0'),
            uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 1
       FROM generate_series(1, $1::int - 1) AS k`,
    [ORGANIZATIONS],
  );
}

/**
 * Organization 0's logs, sealed as the chat-log writer seals them, staged in a table that the
 * fill takes them from, so that they land where the stream of requests puts them.
 */
async function stageReaderLogs(sql: pg.Client, key: Buffer, rows: number) {
  await sql.query(
    "CREATE TABLE bench_reader_log (i bigint PRIMARY KEY, request bytea NOT NULL, response bytea NOT NULL)",
  );
  const org = organizationId(READER);
  const indexes: number[] = [];
  for (let i = 0; i < rows; i += ORGANIZATIONS) indexes.push(i);
  for (let from = 0; from < indexes.length; from += 500) {
    const chunk = indexes.slice(from, from + 500);
    const values: unknown[] = [];
    for (const i of chunk) {
      const requestId = `chatcmpl-${i}`;
      const messages = [
        { role: "system", content: "You are a helpful assistant." },
        { role: "user", content: `Question ${i}: how long are conversation logs kept, and why?` },
      ];
      const response = {
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: `Answer ${i}: thirty days, then they are purged.` },
            finish_reason: "stop",
          },
        ],
      };
      values.push(
        i,
        seal(key, Buffer.from(JSON.stringify(messages)), chatLogContext(org, requestId, "request")),
        seal(key, Buffer.from(JSON.stringify(response)), chatLogContext(org, requestId, "response")),
      );
    }
    const tuples = chunk.map((_, n) => `($${3 * n + 1}, $${3 * n + 2}, $${3 * n + 3})`).join(", ");
    await sql.query(`INSERT INTO bench_reader_log VALUES ${tuples}`, values);
  }
}

interface FillFigures {
  rows: number;
  insertSeconds: number;
  indexSeconds: number;
  vacuumSeconds: number;
}

const INDEXES_OF_CHAT_LOG = `
  SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def,
         c.conname IS NOT NULL AS "isConstraint"
    FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
   WHERE i.indrelid = 'chat_log'::regclass ORDER BY 1`;
const KEYS_OF_CHAT_LOG = `
  SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
   WHERE conrelid = 'chat_log'::regclass AND contype IN ('p', 'f') ORDER BY contype DESC, conname`;

/** Connections that insert at once: the machine has two cores and others on them. */
const INSERTERS = 2;
const INSERT_CHUNK = 500_000;

/**
 * Loads chat_log as a bulk restore would: keys and indexes dropped, rows inserted with
 * generate_series, then the same indexes and keys rebuilt from their own definitions (checked
 * unchanged afterwards) and the table vacuumed and analysed, as month-old rows would be.
 */
async function fillChatLog(
  sql: pg.Client,
  url: string,
  fill: Fill,
  reader: { id: string; key: Buffer },
): Promise<FillFigures> {
  const indexes = (await sql.query<{ name: string; def: string; isConstraint: boolean }>(INDEXES_OF_CHAT_LOG))
    .rows;
  const keys = (await sql.query<{ name: string; def: string }>(KEYS_OF_CHAT_LOG)).rows;
  const schemaBefore = JSON.stringify([indexes, keys]);
  await sql.query("TRUNCATE chat_log");
  for (const key of [...keys].reverse()) {
    await sql.query(`ALTER TABLE chat_log DROP CONSTRAINT ${sql.escapeIdentifier(key.name)}`);
  }
  const plainIndexes = indexes.filter((index) => !index.isConstraint);
  for (const index of plainIndexes) await sql.query(`DROP INDEX ${sql.escapeIdentifier(index.name)}`);

  await stageReaderLogs(sql, reader.key, fill.rows);
  // ciphertexts are windows into random bytes (a sealed request is 48 here, a response 64):
  // PostgreSQL's own random functions would take most of the fill's time
  const pool = randomBytes(65_536 + 64);
  const chunks: number[] = [];
  for (let from = 0; from < fill.rows; from += INSERT_CHUNK) chunks.push(from);
  let inserted = 0;
  const insertStarted = performance.now();
  const insertChunk = async (client: pg.Client, from: number) => {
    const to = Math.min(fill.rows, from + INSERT_CHUNK);
    await client.query(
      `INSERT INTO chat_log (id, request_id, organization_id, api_key_id, model_id, end_user_id,
              data_key_id, request_ciphertext, response_ciphertext, prompt_tokens, completion_tokens,
              created_at, expires_at)
       SELECT gen_random_uuid(), 'chatcmpl-' || s.i, 'org_bench' || s.k, 'key_bench' || s.k, $1,
              CASE WHEN s.i % 3 = 0 THEN 'user-' || (s.i % 37) END,
              CASE WHEN s.i % ${ORGANIZATIONS} = 0 THEN $7 ELSE 'dk_bench' || s.k END,
              CASE WHEN s.i % ${ORGANIZATIONS} = 0
                THEN (SELECT request FROM bench_reader_log r WHERE r.i = s.i)
                ELSE substr($8::bytea, 1 + ((s.i * 97) % 65536)::int, 48)
              END,
              CASE WHEN s.i % ${ORGANIZATIONS} = 0
                THEN (SELECT response FROM bench_reader_log r WHERE r.i = s.i)
                ELSE substr($8::bytea, 1 + ((s.i * 89 + 31) % 65536)::int, 64)
              END,
              (s.i % 500)::int, (s.i % 300)::int, s.created_at,
              s.created_at + make_interval(days => $2::int)
         FROM (SELECT i, lpad(((i * 7919) % ${ORGANIZATIONS})::text, 19, '0') AS k,
                      $3::timestamp + (i * $4::float8) * interval '1 millisecond' AS created_at
                 FROM generate_series($5::bigint, $6::bigint - 1) AS i) s`,
      [MODEL, fill.retentionDays, fill.startsAt.toISOString(), fill.stepMs, from, to, reader.id, pool],
    );
    inserted += to - from;
    if (fill.rows > INSERT_CHUNK) log(`  ${inserted.toLocaleString("en-US")} rows inserted`);
  };
  const inserters = await Promise.all(
    Array.from({ length: INSERTERS }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  try {
    await Promise.all(
      inserters.map(async (client) => {
        for (let from = chunks.shift(); from !== undefined; from = chunks.shift()) {
          await insertChunk(client, from);
        }
      }),
    );
  } finally {
    await Promise.all(inserters.map((client) => client.end()));
  }
  const insertSeconds = (performance.now() - insertStarted) / 1_000;
  await sql.query("DROP TABLE bench_reader_log");

  const indexStarted = performance.now();
  const rebuild = [
    ...keys.map((key) => ({
      name: key.name,
      text: `ALTER TABLE chat_log ADD CONSTRAINT ${sql.escapeIdentifier(key.name)} ${key.def}`,
    })),
    ...plainIndexes.map((index) => ({ name: index.name, text: index.def })),
  ];
  for (const step of rebuild) {
    const started = performance.now();
    await sql.query(step.text);
    if (fill.rows > INSERT_CHUNK)
      log(`  ${step.name}: ${((performance.now() - started) / 1_000).toFixed(1)} s`);
  }
  const indexSeconds = (performance.now() - indexStarted) / 1_000;
  const schemaAfter = JSON.stringify([
    (await sql.query(INDEXES_OF_CHAT_LOG)).rows,
    (await sql.query(KEYS_OF_CHAT_LOG)).rows,
  ]);
  if (schemaAfter !== schemaBefore) {
    throw new Error(`chat_log's indexes or keys changed in the fill:\n${schemaBefore}\n${schemaAfter}`);
  }

  const vacuumStarted = performance.now();
  await sql.query("VACUUM (ANALYZE) chat_log");
  const vacuumSeconds = (performance.now() - vacuumStarted) / 1_000;
  return { rows: fill.rows, insertSeconds, indexSeconds, vacuumSeconds };
}

// ---------------------------------------------------------------- plans

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Subplan Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Join Filter"?: number;
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
  Plans?: PlanNode[];
}

interface PlanSummary {
  executionMs: number;
  /** every node, depth first, with its depth */
  nodes: { depth: number; node: PlanNode }[];
  /** shared buffers the statement touched (hit + read) */
  buffers: number;
  /** rows the expiry index scan handed up, or null when the plan does not use that index */
  expiryIndexRows: number | null;
  seqScanOfChatLog: boolean;
}

function summarize(plan: { Plan: PlanNode; "Execution Time": number }): PlanSummary {
  const nodes: { depth: number; node: PlanNode }[] = [];
  const walk = (node: PlanNode, depth: number) => {
    nodes.push({ depth, node });
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(plan.Plan, 0);
  const expiry = nodes.filter(({ node }) => node["Index Name"] === EXPIRY_INDEX);
  return {
    executionMs: plan["Execution Time"],
    nodes,
    buffers: plan.Plan["Shared Hit Blocks"] + plan.Plan["Shared Read Blocks"],
    expiryIndexRows:
      expiry.length === 0
        ? null
        : expiry.reduce((sum, { node }) => sum + node["Actual Rows"] * node["Actual Loops"], 0),
    seqScanOfChatLog: nodes.some(
      ({ node }) => node["Node Type"] === "Seq Scan" && node["Relation Name"] === "chat_log",
    ),
  };
}

/** EXPLAIN ANALYZE runs the statement: inside a transaction rolled back, it deletes nothing. */
async function explain(sql: pg.Client, statement: Statement): Promise<PlanSummary> {
  await sql.query("BEGIN");
  try {
    const result = await sql.query(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`,
      statement.values,
    );
    return summarize(result.rows[0]["QUERY PLAN"][0]);
  } finally {
    await sql.query("ROLLBACK");
  }
}

// ---------------------------------------------------------------- the purge

interface Statement {
  text: string;
  values: unknown[];
}

const clockAt = (now: Date): Clock => ({ now: () => now });

/** One purge batch's answer: rows deleted, and the latest expiry among them. */
type BatchRow = { count: number; reached: Date | null };

/** A client that hands `$queryRaw` (the purge's batches) to `onStatement` and everything else to `db`. */
function intercepting(
  db: Database,
  onStatement: (strings: TemplateStringsArray, values: unknown[]) => Promise<BatchRow[]>,
): Database {
  return new Proxy(db, {
    get(target, property) {
      if (property === "$queryRaw") {
        return (strings: TemplateStringsArray, ...values: unknown[]) => onStatement(strings, values);
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * The DELETE one batch of the real purge sends, taken from a dry run whose statement deletes
 * nothing (so the run stops after it and writes no audit), so that the plan is that of the code.
 */
async function batchStatement(db: Database, now: Date): Promise<Statement & { batchSize: number }> {
  let statement: Statement | null = null;
  const dry = intercepting(db, async (strings, values) => {
    if (!Array.isArray(strings)) throw new Error("the purge no longer sends a tagged-template statement");
    statement ??= {
      text: strings.reduce((text, part, n) => `${text}$${n}${part}`),
      values: values.map((value) => (value instanceof Date ? value.toISOString() : value)),
    };
    return [{ count: 0, reached: null }];
  });
  await purgeExpiredChatLogs({ db: dry, clock: clockAt(now) });
  if (!statement) throw new Error("the purge sent no statement");
  const found: Statement = statement;
  const batchSize = found.values.find((value): value is number => typeof value === "number");
  if (batchSize === undefined) throw new Error("no batch size among the purge's parameters");
  return { ...found, batchSize };
}

interface PurgeFigures {
  label: string;
  tableRows: number;
  expired: number;
  held: number;
  plan: PlanSummary;
  batchSize: number;
  deleted: number;
  runs: number;
  seconds: number;
  /** milliseconds of each full batch's DELETE, in order */
  batchMs: number[];
}

/**
 * Explains the first batch, then runs the real purge, as the worker would, until a run ends on
 * a short batch; every DELETE is timed on its way through.
 */
async function measurePurge(
  db: Database,
  sql: pg.Client,
  label: string,
  tableRows: number,
  now: Date,
): Promise<PurgeFigures> {
  const counts = await sql.query<{ expired: number; held: number }>(
    `SELECT count(*) FILTER (WHERE NOT o.legal_hold)::int AS expired,
            count(*) FILTER (WHERE o.legal_hold)::int AS held
       FROM chat_log l JOIN organization o ON o.id = l.organization_id WHERE l.expires_at <= $1`,
    [now.toISOString()],
  );
  const { expired, held } = counts.rows[0] as { expired: number; held: number };
  const statement = await batchStatement(db, now);
  const plan = await explain(sql, statement);
  log(
    `${label}: ${expired.toLocaleString("en-US")} expired (${held} held); first batch ${plan.executionMs.toFixed(1)} ms, ` +
      `${plan.buffers} buffers, expiry index rows ${plan.expiryIndexRows}`,
  );

  for (const { depth, node } of plan.nodes) {
    log(
      `  ${"  ".repeat(depth)}${describeNode(node)}: ${node["Actual Rows"]} × ${node["Actual Loops"]}, ` +
        `buffers ${node["Shared Hit Blocks"]} hit ${node["Shared Read Blocks"]} read`,
    );
  }
  const batches: { ms: number; rows: number }[] = [];
  const timed = intercepting(db, async (strings, values) => {
    const started = performance.now();
    const answer = await db.$queryRaw<BatchRow[]>(strings, ...values);
    batches.push({ ms: performance.now() - started, rows: answer[0]?.count ?? 0 });
    return answer;
  });
  let deleted = 0;
  let runs = 0;
  const started = performance.now();
  while (runs < MAX_RUNS) {
    const result = await purgeExpiredChatLogs({ db: timed, clock: clockAt(now) });
    runs += 1;
    deleted += result.deleted;
    if ((batches.at(-1)?.rows ?? 0) < statement.batchSize) break;
  }
  const seconds = (performance.now() - started) / 1_000;
  if (deleted !== expired) throw new Error(`${label}: purged ${deleted} of ${expired} expired logs`);
  const left = await sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM chat_log WHERE expires_at <= $1",
    [now.toISOString()],
  );
  if (left.rows[0]?.n !== held)
    throw new Error(`${label}: ${left.rows[0]?.n} expired logs left, ${held} held`);
  const batchMs = batches.filter((batch) => batch.rows === statement.batchSize).map((batch) => batch.ms);
  log(`${label}: purged ${deleted} in ${seconds.toFixed(1)} s, ${batches.length} batches, ${runs} runs`);
  return {
    label,
    tableRows,
    expired,
    held,
    plan,
    batchSize: statement.batchSize,
    deleted,
    runs,
    seconds,
    batchMs,
  };
}

// ---------------------------------------------------------------- the read path

interface ReadFigures {
  live: number;
  expired: number;
  callMs: number[];
  /** the same rows through Prisma without decrypting them, to split the call's time */
  queryMs: number[];
  plan: PlanSummary;
}

/** readChatLogs for one organization while some of its logs are past expiry but not purged. */
async function measureReads(
  db: Database,
  sql: pg.Client,
  keyring: MasterKeyring,
  now: Date,
): Promise<ReadFigures> {
  const org = organizationId(READER);
  const counts = await sql.query<{ live: number; expired: number }>(
    `SELECT count(*) FILTER (WHERE expires_at > $2)::int AS live,
            count(*) FILTER (WHERE expires_at <= $2)::int AS expired
       FROM chat_log WHERE organization_id = $1`,
    [org, now.toISOString()],
  );
  const { live, expired } = counts.rows[0] as { live: number; expired: number };
  if (expired === 0) throw new Error("the read path needs expired logs to leave out");
  const deps = { db, clock: clockAt(now), keyring };
  const input = { organizationId: org, actor: cliActor("bench"), purpose: "retention benchmark" };
  const callMs: number[] = [];
  for (let call = 0; call <= READS; call++) {
    const started = performance.now();
    const logs = await readChatLogs(deps, input);
    if (call > 0) callMs.push(performance.now() - started);
    if (logs.length !== live || logs.some((entry) => entry.expiresAt <= now)) {
      throw new Error(`readChatLogs returned ${logs.length} logs, ${live} are live`);
    }
  }
  // the same pages through Prisma, without decrypting them
  const queryMs: number[] = [];
  for (let call = 0; call < READS; call++) {
    const started = performance.now();
    let after: ChatLogPageStart = null;
    for (;;) {
      const page: { createdAt: Date; id: string }[] = await db.chatLog.findMany(
        chatLogPageQuery(input, now, after, CHAT_LOG_PAGE_SIZE),
      );
      const last = page.at(-1);
      if (!last || page.length < CHAT_LOG_PAGE_SIZE) break;
      after = { createdAt: last.createdAt, id: last.id };
    }
    queryMs.push(performance.now() - started);
  }
  // the statement of readChatLogs's first page, less the data keys Prisma then loads by id
  const plan = summarize(
    (
      await sql.query(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
         SELECT * FROM chat_log WHERE organization_id = $1 AND expires_at > $2
          ORDER BY created_at, id LIMIT $3`,
        [org, now.toISOString(), CHAT_LOG_PAGE_SIZE],
      )
    ).rows[0]["QUERY PLAN"][0],
  );
  return { live, expired, callMs, queryMs, plan };
}

// ---------------------------------------------------------------- the run

interface Sizes {
  total: number;
  heap: number;
  indexes: number;
  expiryIndex: number;
}

async function sizesOf(sql: pg.Client): Promise<Sizes> {
  const result = await sql.query<Record<keyof Sizes, string>>(
    `SELECT pg_total_relation_size('chat_log') AS total, pg_relation_size('chat_log') AS heap,
            pg_indexes_size('chat_log') AS indexes, pg_relation_size('${EXPIRY_INDEX}') AS "expiryIndex"`,
  );
  const row = result.rows[0] as Record<keyof Sizes, string>;
  return {
    total: Number(row.total),
    heap: Number(row.heap),
    indexes: Number(row.indexes),
    expiryIndex: Number(row.expiryIndex),
  };
}

interface Results {
  origin: string;
  version: string;
  sharedBuffers: string;
  retentionDays: number;
  fill: FillFigures;
  sizes: Sizes;
  reads: ReadFigures;
  small: PurgeFigures;
  phases: PurgeFigures[];
  vacuumSeconds: number;
  autovacuumed: boolean;
  loadBefore: number;
  loadAfter: number;
  totalSeconds: number;
}

async function main() {
  const benchStarted = performance.now();
  const loadBefore = os.loadavg()[0] ?? 0;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-bench-retention-"));
  await chmod(dataDir, 0o755); // an embedded PostgreSQL runs as another user when this runs as root
  // everything started is stopped again, in reverse, however the run ends
  const cleanups: (() => Promise<unknown>)[] = [async () => rm(dataDir, { recursive: true, force: true })];
  try {
    const database = await scratchDatabase(dataDir, log);
    cleanups.push(database.drop);
    const db = createDatabaseClient(database.url, { maxConnections: 2 });
    cleanups.push(() => db.$disconnect());
    const sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    cleanups.push(() => sql.end());
    await sql.query("SET maintenance_work_mem = '512MB'");

    const settings = await sql.query<{ server: string; shared: string; tier: string; days: number }>(
      `SELECT current_setting('server_version') AS server, current_setting('shared_buffers') AS shared,
              id AS tier, chat_log_retention_days AS days FROM tier WHERE slug = 'free'`,
    );
    const { server, shared, tier, days } = settings.rows[0] as {
      server: string;
      shared: string;
      tier: string;
      days: number;
    };
    const version = server.split(" ")[0] ?? server;
    await createOrganizations(sql, tier);
    const keyring = parseMasterKeyring(randomBytes(32).toString("base64"));
    const readerKey = await getOrCreateDataKey(
      { db, clock: clockAt(new Date()), keyring },
      { organizationId: organizationId(READER), endUserId: null },
    );

    // the purge's clock: the small table's, then the big table's, then a day later
    const now = new Date(Math.floor(Date.now() / 1_000) * 1_000);

    log(`small table: ${SMALL_ROWS.toLocaleString("en-US")} rows`);
    await fillChatLog(sql, database.url, fillFor(SMALL_ROWS, SMALL_BACKLOG_SHARE, now, days), readerKey);
    const small = await measurePurge(
      db,
      sql,
      `${rowCount(SMALL_ROWS)}, ${SMALL_BACKLOG_SHARE * 100} % expired`,
      SMALL_ROWS,
      now,
    );

    log(`big table: ${ROWS.toLocaleString("en-US")} rows`);
    const fill = await fillChatLog(sql, database.url, fillFor(ROWS, BACKLOG_SHARE, now, days), readerKey);
    log(
      `filled in ${fill.insertSeconds.toFixed(0)} s + ${fill.indexSeconds.toFixed(0)} s of indexes + ` +
        `${fill.vacuumSeconds.toFixed(0)} s of VACUUM ANALYZE`,
    );
    const sizes = await sizesOf(sql);

    const reads = await measureReads(db, sql, keyring, now);
    log(
      `read path: ${reads.live} logs, p50 ${percentile(reads.callMs, 0.5).toFixed(0)} ms, ` +
        `of which Prisma's findMany ${percentile(reads.queryMs, 0.5).toFixed(0)} ms`,
    );
    const backlog = await measurePurge(
      db,
      sql,
      `${rowCount(ROWS)}, ${BACKLOG_SHARE * 100} % expired`,
      ROWS,
      now,
    );
    // no VACUUM of our own in between (autovacuum may start: chat_log's starts at 1 % dead)
    const dayLater = await measurePurge(
      db,
      sql,
      `${rowCount(ROWS)}, a day later`,
      ROWS - backlog.deleted,
      new Date(now.getTime() + DAY_MS),
    );
    const stats = await sql.query<{ autovacuumed: boolean }>(
      "SELECT last_autovacuum IS NOT NULL AS autovacuumed FROM pg_stat_user_tables WHERE relname = 'chat_log'",
    );
    const vacuumStarted = performance.now();
    await sql.query("VACUUM chat_log");
    const vacuumSeconds = (performance.now() - vacuumStarted) / 1_000;

    const results: Results = {
      origin: database.isEmbedded
        ? `embedded PostgreSQL ${version}`
        : `PostgreSQL ${version} of DATABASE_URL`,
      version,
      sharedBuffers: shared,
      retentionDays: days,
      fill,
      sizes,
      reads,
      small,
      phases: [backlog, dayLater],
      vacuumSeconds,
      autovacuumed: stats.rows[0]?.autovacuumed ?? false,
      loadBefore,
      loadAfter: os.loadavg()[0] ?? 0,
      totalSeconds: (performance.now() - benchStarted) / 1_000,
    };
    const figures = formatFigures(results);
    process.stdout.write(`${figures}\n`);
    await writeSection(figures, database.isEmbedded ? null : externalLine(results));
    log(`written to ${path.relative(ROOT, REPORT)}`);
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
    }
  }
}

// ---------------------------------------------------------------- the report

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** 10000000 as "10M", 100000 as "100k": the tables' names in the report */
const rowCount = (rows: number) =>
  rows >= 1e6 ? `${+(rows / 1e6).toFixed(1)}M` : `${+(rows / 1e3).toFixed(0)}k`;
const thousands = (value: number) => Math.round(value).toLocaleString("en-US");
const mib = (bytes: number) => `${thousands(bytes / 1024 ** 2)} MiB`;
/** one decimal, or a dash where there was nothing to measure (no full batch in a quick try) */
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "—");

/** A Markdown table laid out as the formatter lays it out, so the file stays clean. */
function table(header: string[], align: ("l" | "r")[], rows: string[][]): string[] {
  const widths = header.map((cell, n) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[n] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `| ${cells
      .map((cell, n) => (align[n] === "r" ? cell.padStart(widths[n] ?? 0) : cell.padEnd(widths[n] ?? 0)))
      .join(" | ")} |`;
  const rule = `| ${widths.map((width, n) => (align[n] === "r" ? `${"-".repeat(width - 1)}:` : "-".repeat(width))).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)];
}

function describeNode(node: PlanNode): string {
  const on = node["Relation Name"] ? ` on ${node["Relation Name"]}` : "";
  const using = node["Index Name"] ? ` using ${node["Index Name"]}` : "";
  return `${node["Subplan Name"] ? `${node["Subplan Name"]}: ` : ""}${node["Node Type"]}${using}${on}`;
}

function formatFigures(r: Results): string {
  const cpus = os.cpus();
  const purges = [r.small, ...r.phases];
  const [backlog] = r.phases as [PurgeFigures];
  const readIndexes = [
    ...new Set(r.reads.plan.nodes.flatMap(({ node }) => (node["Index Name"] ? [node["Index Name"]] : []))),
  ];
  const readFiltered = r.reads.plan.nodes.reduce(
    (sum, { node }) => sum + (node["Rows Removed by Filter"] ?? 0),
    0,
  );
  const fillSeconds = r.fill.insertSeconds + r.fill.indexSeconds + r.fill.vacuumSeconds;
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus[0]?.model ?? "cpu"} × ${cpus.length} cores, ` +
      `${Math.round(os.totalmem() / 1024 ** 3)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}; ` +
      `${r.origin} (shared_buffers ${r.sharedBuffers}, other settings as shipped). ` +
      `Load average (1 min) before / after: ${r.loadBefore.toFixed(2)} / ${r.loadAfter.toFixed(2)}; ` +
      `the whole run took ${(r.totalSeconds / 60).toFixed(1)} min.`,
    "",
    `Fill: ${thousands(r.fill.rows)} rows for ${ORGANIZATIONS} organizations in ${fillSeconds.toFixed(0)} s ` +
      `(insert ${r.fill.insertSeconds.toFixed(0)} s, ${thousands(r.fill.rows / r.fill.insertSeconds)} rows/s; ` +
      `keys and indexes ${r.fill.indexSeconds.toFixed(0)} s; VACUUM ANALYZE ${r.fill.vacuumSeconds.toFixed(0)} s). ` +
      `Size: ${mib(r.sizes.total)} in all, heap ${mib(r.sizes.heap)}, indexes ${mib(r.sizes.indexes)} ` +
      `(the expiry index ${mib(r.sizes.expiryIndex)}).`,
    "",
    "The purge (the real `purgeExpiredChatLogs`, default batch size and batches per run):",
    "",
    ...table(
      [
        "table",
        "expired",
        "expired, held",
        "full batches",
        "batch p50 ms",
        "batch p99 ms",
        "first / last ms",
        "whole purge s",
        "rows/s",
      ],
      ["l", "r", "r", "r", "r", "r", "r", "r", "r"],
      purges.map((p) => [
        p.label,
        thousands(p.expired),
        thousands(p.held),
        String(p.batchMs.length),
        ms(percentile(p.batchMs, 0.5)),
        ms(percentile(p.batchMs, 0.99)),
        `${ms(p.batchMs[0] ?? Number.NaN)} / ${ms(p.batchMs.at(-1) ?? Number.NaN)}`,
        p.seconds.toFixed(2),
        thousands(p.deleted / p.seconds),
      ]),
    ),
    "",
    "One batch's DELETE under `EXPLAIN (ANALYZE, BUFFERS)` before the purge (rolled back):",
    "",
    ...table(
      [
        "table",
        "rows",
        "expiry index used",
        "rows from the expiry index",
        "buffers (8 KiB)",
        "ms",
        "seq scan",
      ],
      ["l", "r", "l", "r", "r", "r", "l"],
      purges.map((p) => [
        p.label,
        thousands(p.tableRows),
        p.plan.expiryIndexRows === null ? "no" : "yes",
        p.plan.expiryIndexRows === null ? "—" : thousands(p.plan.expiryIndexRows),
        thousands(p.plan.buffers),
        ms(p.plan.executionMs),
        p.plan.seqScanOfChatLog ? "yes" : "none",
      ]),
    ),
    "",
    `Its plan at ${backlog.label} (buffers include the node's children):`,
    "",
    ...table(
      ["node", "rows × loops", "removed by filter", "buffers hit", "buffers read"],
      ["l", "r", "r", "r", "r"],
      backlog.plan.nodes.map(({ depth, node }) => [
        `${"→ ".repeat(depth)}${describeNode(node)}`,
        `${thousands(node["Actual Rows"])} × ${node["Actual Loops"]}`,
        thousands((node["Rows Removed by Filter"] ?? 0) + (node["Rows Removed by Join Filter"] ?? 0)),
        thousands(node["Shared Hit Blocks"]),
        thousands(node["Shared Read Blocks"]),
      ]),
    ),
    "",
    `Read path at ${backlog.label}, before the purge: \`readChatLogs\` of one organization (all its ` +
      `unexpired logs, decrypted ${CHAT_LOG_PAGE_SIZE} to a query, and one audit event) returns ` +
      `${thousands(r.reads.live)} logs and leaves out ` +
      `its ${thousands(r.reads.expired)} expired ones; p50 ${ms(percentile(r.reads.callMs, 0.5))} ms, ` +
      `max ${ms(Math.max(...r.reads.callMs))} ms over ${READS} calls, of which Prisma's \`findMany\` of the ` +
      `same pages alone takes ${ms(percentile(r.reads.queryMs, 0.5))} ms (p50) and decryption most of the rest. ` +
      "Its first page's SQL under EXPLAIN ANALYZE: " +
      `${ms(r.reads.plan.executionMs)} ms, ${thousands(r.reads.plan.buffers)} buffers, through ` +
      `${readIndexes.join(" and ") || "no index"}, ${thousands(readFiltered)} rows removed by the expiry filter.`,
    "",
    `After both purges: VACUUM of chat_log ${r.vacuumSeconds.toFixed(0)} s; autovacuum ran on it during the run: ` +
      `${r.autovacuumed ? "yes" : "no"}.`,
  ].join("\n");
}

const EXTERNAL = "Against a PostgreSQL of DATABASE_URL";

function externalLine(r: Results): string {
  const [backlog, dayLater] = r.phases as [PurgeFigures, PurgeFigures];
  return (
    `${EXTERNAL} (PostgreSQL ${r.version}, ${new Date().toISOString().slice(0, 10)}, load average ` +
    `${r.loadBefore.toFixed(2)} / ${r.loadAfter.toFixed(2)}): fill ` +
    `${(r.fill.insertSeconds + r.fill.indexSeconds + r.fill.vacuumSeconds).toFixed(0)} s, ` +
    `${mib(r.sizes.total)}; batch p50 / p99 ${ms(percentile(backlog.batchMs, 0.5))} / ` +
    `${ms(percentile(backlog.batchMs, 0.99))} ms at 1 % expired and ${ms(percentile(dayLater.batchMs, 0.5))} / ` +
    `${ms(percentile(dayLater.batchMs, 0.99))} ms a day later, against ${ms(percentile(r.small.batchMs, 0.5))} ms ` +
    `at 100k rows; whole purge ${thousands(backlog.deleted / backlog.seconds)} and ` +
    `${thousands(dayLater.deleted / dayLater.seconds)} rows/s; first batch ${thousands(backlog.plan.buffers)} buffers ` +
    `(${thousands(r.small.plan.buffers)} at 100k); read path p50 ${ms(percentile(r.reads.callMs, 0.5))} ms.`
  );
}

const { start: START, end: END } = sectionMarkers("retention");

/**
 * Replaces this benchmark's section of docs/benchmarks.md (other sections stay as they are).
 * With `external`, only that section's line about a DATABASE_URL run is replaced.
 */
async function writeSection(figures: string, external: string | null) {
  const report = await reportSection(START, END);
  const old = report.old;
  const oldExternal = old?.split("\n").find((line) => line.startsWith(EXTERNAL)) ?? null;
  let section: string;
  if (old !== null && external !== null) {
    section = oldExternal ? old.replace(oldExternal, external) : `${old.trimEnd()}\n\n${external}\n`;
    section += END;
  } else {
    const kept = external ?? oldExternal;
    section = [
      START,
      "## Retention: purging expired chat logs (`bench/retention.bench.ts`)",
      "",
      METHOD,
      "",
      READING,
      "",
      figures,
      ...(kept ? ["", kept] : []),
      END,
    ].join("\n");
  }
  await report.replace(section);
}

const METHOD = `Method: \`npm run bench -- retention\` (rerun it to refresh this section; \`BENCH_CHAT_LOG_ROWS\`
lowers the row count for a quick try). A scratch database gets the schema of
\`prisma/migrations\`, 1,000 organizations (ten under legal hold) and a data key each. chat_log is
filled with \`INSERT ... SELECT generate_series\` on two connections as a steady stream of
requests: row i belongs to organization (i × 7919) mod 1000, is written a fixed step after row i −
1, and expires 30 days (the free tier's retention) after it; the span is such that 1 % of the rows
are past expiry at the purge's clock. Ciphertexts are 48 and 64 random bytes, except organization
0's, sealed under its data key as the chat-log writer seals them. Keys and indexes are dropped for
the insert and rebuilt from their own definitions (checked unchanged), then VACUUM ANALYZE, as
rows a month old would be. The purge is the real \`purgeExpiredChatLogs\` of \`@dsc/core\` with
its defaults (5,000 rows per batch, at most 200 batches per run), rerun until a run ends on a
short batch; each batch's DELETE is timed as it passes through the Prisma client (p99 is
nearest-rank: below 100 batches, the slowest). Before each purge the same DELETE, taken from a dry
run of the function so that the plan is the code's, runs once under \`EXPLAIN (ANALYZE, BUFFERS)\`
in a transaction rolled back (which also warms the cache for the first real batch). Three purges:
a table of 100,000 rows with 25 % expired (four full batches and a short one), the big table with
1 % expired, and the big table with the clock a day later (another 3.3 %), without VACUUM in
between of the benchmark's own (chat_log's autovacuum starts once 1 % of it is dead, migration
\`chat_log_autovacuum\`; at PostgreSQL's default of 20 % it would not run). The read path is \`readChatLogs\`
(the read of logs, a page of 500 per query, as the subject export streams them) for organization
0 before the first purge, and its first page's SQL under EXPLAIN ANALYZE. Last, a VACUUM of
chat_log.`;

const READING = `Reading: the purge stays cheap at ten million rows. Each batch walks \`chat_log_expires_at_idx\`
in expiry order from the expiry the batch before it reached, and stops when it is full, so that
side of the plan reads the 5,000 rows it deletes plus the expired rows of held organizations in its
stretch (50 on the first batch at 1 % expired, 1,051 a day later), each held row once per run
rather than once per later batch, and costs about 3,200 buffers at 100,000 and at ten million
rows, most of them the look-ups of 1,000 organizations. What grows with the table is the outer
\`DELETE ... WHERE id IN (...)\`: at 100,000 rows the planner hashes the ids and scans the whole
table, at ten million it finds each id in \`chat_log_pkey\`, about four buffers per row (20,000
of the batch's 33,000, and nearly all its reads, since a primary key of random UUIDs does not
stay in 128 MB of shared buffers). That is logarithmic in the table: a hundred times the rows
cost a batch about twice the buffers, and no step scans chat_log. A batch takes tens of
milliseconds (the first ones at 1 % expired up to about 200, reading the primary key from disk),
locking only the rows it deletes, and a day of expiries (326,700 rows) is gone in a few seconds
of the worker's ten-minute schedule. These times were taken with a load average of about 2 on two
cores; this machine's PostgreSQL 15 (last line) touched the same buffers in similar times, and an
earlier run of the same plans at a load of 8 to 13 took three to four times as long. Within a run, and until the next VACUUM, batches also step over the index
entries of rows already deleted (skipped once marked dead); chat_log's autovacuum starts once 1 %
of it is dead (migration \`chat_log_autovacuum\`; it did not start during this short run). The
read path never returns an expired log: \`readChatLogs\` reads a page of 500 logs per query
through \`chat_log_organization_id_created_at_idx\` in (created_at, id) order, filtering on
\`expires_at\` (its first page skipped exactly the organization's 101 expired rows; the benchmark
checks the result), so what a read holds at once is bounded by a page; the subject export
streams the pages as it reads them. Of a full read of 9,899 logs, Prisma's building the rows with
their ciphertexts takes most of the time, decryption the rest.`;

await main();
