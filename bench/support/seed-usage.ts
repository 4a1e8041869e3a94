/**
 * Usage for the analytics benchmark, made with set-based SQL: `events` usage_event rows spread
 * evenly over `days` days up to `now`, over 1,000 organizations (on the seeded tiers in turn),
 * 10,000 API keys (ten an organization, each calling one of three priced models) and 50 end users
 * an organization (a quarter of the requests name one); then the roll-ups built from those rows
 * by the usage writer's own definitions (addToRollupsSql), a day at a time, with minute rows only
 * for the last 48 hours, as the worker keeps them.
 *
 * Event i: organization (i × 7919) mod 1000; the rest from hashes of i (PostgreSQL's hashint8),
 * so that nothing follows the organization: one of its ten keys, status 429 for 2 % of requests,
 * 500 for 1 %, 400 for 0.5 %, 401 for 0.2 %, else 200; a cache hit (no tokens) one in 20; an end
 * user for one in four; a latency from a skewed spread of 20 ms to 20 s.
 */
import { addToRollupsSql } from "@dsc/core";
import { USAGE_MINUTE_BUCKETS_KEPT_MS } from "@dsc/vocabulary";
import pg from "pg";

export const SEED_ORGANIZATIONS = 1_000;
export const SEED_KEYS_PER_ORGANIZATION = 10;
export const SEED_MODELS = [
  { id: "bench-small", input: 0.15, output: 0.6 },
  { id: "bench-medium", input: 2.5, output: 10 },
  { id: "bench-large", input: 15, output: 60 },
];
const DAY_MS = 86_400_000;
const INSERT_CHUNK = 500_000;

export const seedOrganizationId = (k: number) => `org_bench${String(k).padStart(19, "0")}`;
export const seedKeyId = (j: number) => `key_bench${String(j).padStart(19, "0")}`;

export interface SeedFigures {
  events: number;
  days: number;
  eventSeconds: number;
  rollupSeconds: number;
  indexSeconds: number;
  vacuumSeconds: number;
  rollupRows: Record<string, number>;
  /** bytes on disk, tables with their indexes */
  sizes: Record<string, number>;
}

/** The connections that insert at once: the machine has two cores and others on them. */
const WORKERS = 2;

async function inParallel<T>(url: string, items: T[], work: (client: pg.Client, item: T) => Promise<void>) {
  const queue = [...items];
  const clients = await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query("SET work_mem = '256MB'");
      return client;
    }),
  );
  try {
    await Promise.all(
      clients.map(async (client) => {
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(client, item);
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.end()));
  }
}

export async function seedUsage(
  url: string,
  options: { events: number; days: number; now: Date; log: (message: string) => void },
): Promise<SeedFigures> {
  const { events, days, now, log } = options;
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  try {
    const tiers = (await sql.query<{ id: string }>("SELECT id FROM tier ORDER BY created_at, id")).rows.map(
      (row) => row.id,
    );
    await sql.query(
      `INSERT INTO model (id, provider, input_price_per_m_tokens, output_price_per_m_tokens)
       SELECT * FROM unnest($1::text[], $2::provider_kind[], $3::numeric[], $4::numeric[])`,
      [
        SEED_MODELS.map((model) => model.id),
        SEED_MODELS.map(() => "LOCAL"),
        SEED_MODELS.map((model) => model.input),
        SEED_MODELS.map((model) => model.output),
      ],
    );
    await sql.query(
      `INSERT INTO organization (id, name, tier_id, updated_at)
       SELECT 'org_bench' || lpad(k::text, 19, '0'), 'Bench organization ' || k, ($1::text[])[1 + k % $2], now()
         FROM generate_series(0, $3::int - 1) AS k`,
      [tiers, tiers.length, SEED_ORGANIZATIONS],
    );
    // key j belongs to organization j mod 1000
    await sql.query(
      `INSERT INTO api_key (id, organization_id, name, hash, prefix, scopes)
       SELECT 'key_bench' || lpad(j::text, 19, '0'), 'org_bench' || lpad((j % $1)::text, 19, '0'),
              'Bench key ' || j, md5('bench key ' || j), 'sk-bench' || j, '{chat}'
         FROM generate_series(0, $2::int - 1) AS j`,
      [SEED_ORGANIZATIONS, SEED_ORGANIZATIONS * SEED_KEYS_PER_ORGANIZATION],
    );

    // secondary indexes are built once at the end, as a bulk load would (the primary keys stay: the
    // roll-ups' upserts need them, and the day ranges are read by usage_event's)
    const indexes = (
      await sql.query<{ name: string; definition: string }>(
        `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
          WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey'
            AND (tablename = 'usage_event' OR tablename LIKE 'usage_rollup_%')`,
      )
    ).rows;
    for (const index of indexes) await sql.query(`DROP INDEX ${sql.escapeIdentifier(index.name)}`);

    const start = new Date(now.getTime() - days * DAY_MS);
    const stepMs = (days * DAY_MS) / events;
    const eventStarted = performance.now();
    const chunks: number[] = [];
    for (let from = 0; from < events; from += INSERT_CHUNK) chunks.push(from);
    let inserted = 0;
    await inParallel(url, chunks, async (client, from) => {
      const to = Math.min(events, from + INSERT_CHUNK);
      await client.query(
        `INSERT INTO usage_event (id, request_id, organization_id, api_key_id, model_id, endpoint, status,
                                  latency_ms, prompt_tokens, completion_tokens, cached, end_user_id, created_at)
         SELECT s.i + 1, 'chatcmpl-' || s.i, 'org_bench' || lpad(s.k::text, 19, '0'),
                'key_bench' || lpad(s.j::text, 19, '0'), ($1::text[])[1 + s.j % 3], '/v1/chat/completions',
                CASE WHEN s.h2 % 1000 < 20 THEN 429 WHEN s.h2 % 1000 < 30 THEN 500
                     WHEN s.h2 % 1000 < 35 THEN 400 WHEN s.h2 % 1000 < 37 THEN 401 ELSE 200 END,
                (20 + ((s.h3 % 1000) ^ 3) / 50000)::int,
                CASE WHEN s.h2 / 1000 % 20 = 0 THEN 0 ELSE (s.h1 / 10 % 1500)::int END,
                CASE WHEN s.h2 / 1000 % 20 = 0 THEN 0 ELSE (s.h3 / 1000 % 400)::int END,
                s.h2 / 1000 % 20 = 0,
                CASE WHEN s.h2 / 20000 % 4 = 0 THEN 'user-' || (s.h3 / 400000 % 50) END,
                $2::timestamp(3) + (s.i * $3::float8) * interval '1 millisecond'
           FROM (SELECT i, (i * 7919) % $4 AS k, (i * 7919) % $4 + $4 * (h1 % 10) AS j, h1, h2, h3
                   FROM (SELECT i, abs(hashint8(i))::bigint AS h1, abs(hashint8(i + 20000000000))::bigint AS h2,
                                abs(hashint8(i + 40000000000))::bigint AS h3
                           FROM generate_series($5::bigint, $6::bigint - 1) AS i) hashed) s`,
        [SEED_MODELS.map((model) => model.id), start.toISOString(), stepMs, SEED_ORGANIZATIONS, from, to],
      );
      inserted += to - from;
      log(`  ${inserted.toLocaleString("en-US")} usage events inserted`);
    });
    // event i has id i + 1, so that a day's events are found by the primary key
    await sql.query("SELECT setval(pg_get_serial_sequence('usage_event', 'id'), $1::bigint)", [events]);
    const eventSeconds = (performance.now() - eventStarted) / 1_000;

    // a day of events at a time (the month rows are shared by the days: an upsert, as in the writer)
    const rollupStarted = performance.now();
    const minutesFrom = now.getTime() - USAGE_MINUTE_BUCKETS_KEPT_MS;
    const dayStarts: number[] = [];
    for (let at = Math.floor(start.getTime() / DAY_MS) * DAY_MS; at <= now.getTime(); at += DAY_MS)
      dayStarts.push(at);
    let rolled = 0;
    await inParallel(url, dayStarts, async (client, dayStart) => {
      const dayEnd = dayStart + DAY_MS;
      const idAt = (at: number) => Math.floor((at - start.getTime()) / stepMs);
      const range = (from: number, to: number) =>
        `(SELECT * FROM usage_event
           WHERE id BETWEEN ${idAt(from) - 10} AND ${idAt(to) + 10}
             AND created_at >= '${new Date(from).toISOString()}'::timestamp(3)
             AND created_at < '${new Date(to).toISOString()}'::timestamp(3))`;
      if (dayEnd <= minutesFrom) {
        await client.query(addToRollupsSql(range(dayStart, dayEnd), ["hour", "day"]));
      } else {
        const split = Math.max(dayStart, Math.floor(minutesFrom / 60_000) * 60_000);
        if (split > dayStart) await client.query(addToRollupsSql(range(dayStart, split), ["hour", "day"]));
        await client.query(addToRollupsSql(range(split, dayEnd)));
      }
      rolled += 1;
      if (rolled % 10 === 0 || rolled === dayStarts.length)
        log(`  ${rolled} of ${dayStarts.length} days rolled up`);
    });
    const rollupSeconds = (performance.now() - rollupStarted) / 1_000;
    const indexStarted = performance.now();
    await inParallel(url, indexes, async (client, index) => {
      await client.query("SET maintenance_work_mem = '512MB'");
      await client.query(index.definition);
    });
    const indexSeconds = (performance.now() - indexStarted) / 1_000;
    log(`  ${indexes.length} indexes built in ${indexSeconds.toFixed(0)} s`);

    const tables = [
      "usage_event",
      "usage_rollup_platform",
      "usage_rollup_organization",
      "usage_rollup_credential",
      "usage_rollup_end_user",
    ];
    const vacuumStarted = performance.now();
    for (const table of tables) await sql.query(`VACUUM (ANALYZE) ${table}`);
    const vacuumSeconds = (performance.now() - vacuumStarted) / 1_000;
    const rollupRows: Record<string, number> = {};
    const sizes: Record<string, number> = {};
    for (const table of tables) {
      const [row] = (
        await sql.query<{ rows: string; bytes: string }>(
          `SELECT (SELECT count(*) FROM ${table}) AS rows, pg_total_relation_size('${table}') AS bytes`,
        )
      ).rows;
      rollupRows[table] = Number(row?.rows ?? 0);
      sizes[table] = Number(row?.bytes ?? 0);
    }
    return { events, days, eventSeconds, rollupSeconds, indexSeconds, vacuumSeconds, rollupRows, sizes };
  } finally {
    await sql.end();
  }
}
