import { USAGE_ERROR_STATUSES } from "@dsc/vocabulary";

/**
 * Usage roll-ups: the analytics never read usage_event, but these tables, which the usage writer
 * updates in the statement that inserts the events (insert-usage-events.ts), so that a crash
 * loses no count and none is counted twice. Each table keeps one set of dimensions, by minute,
 * hour and day; a query reads the smallest table that has the dimensions it filters and groups
 * by. Rows of every grain share the measures below, which add up: a bucket's figures are sums of
 * its rows'. The organization and credential tables also keep month rows: never charted, they
 * rank organizations and keys over long ranges under a tier or model filter in a few thousand
 * rows. usage_rollup_month keeps only requests and tokens by organization, credential and
 * month: the quota's month, and the unfiltered ranking over long ranges. Minute
 * rows are kept 48 hours and hour rows 400 days (pruneRollups), day and month rows for good;
 * end-user rows go with the usage rows' end-user ids (erasure, retention). Counts are bigint:
 * a day row can hold a day of the whole platform's traffic.
 */

/** The grains of roll-up rows; their names are date_trunc's fields. */
export const ROLLUP_GRAINS = ["minute", "hour", "day", "month"] as const;
export type RollupGrain = (typeof ROLLUP_GRAINS)[number];
/** The grains charts are drawn in (month rows only rank groups). */
const CHARTED_GRAINS = ["minute", "hour", "day"] as const satisfies readonly RollupGrain[];

/** The roll-up tables and the dimensions each keeps ('' stands for none: a key column cannot be null). */
export const ROLLUP_TABLES = {
  platform: { table: "usage_rollup_platform", grains: CHARTED_GRAINS, dimensions: ["tier_id", "model_id"] },
  // an organization's minutes are its credentials' (a day of them is a few rows per key)
  organization: {
    table: "usage_rollup_organization",
    grains: ["hour", "day", "month"],
    dimensions: ["organization_id", "tier_id", "model_id"],
  },
  credential: {
    table: "usage_rollup_credential",
    grains: ROLLUP_GRAINS,
    dimensions: ["organization_id", "credential_id", "tier_id", "model_id"],
  },
  // only ever read within one organization, where the rows are few enough to rank exactly
  endUser: {
    table: "usage_rollup_end_user",
    grains: CHARTED_GRAINS,
    dimensions: ["organization_id", "end_user_id", "model_id"],
  },
} as const satisfies Record<
  string,
  { table: string; grains: readonly RollupGrain[]; dimensions: readonly string[] }
>;
export type RollupTableName = keyof typeof ROLLUP_TABLES;

/**
 * Upper bounds (exclusive, ms) of the latency histogram's buckets but the last: from 10 ms, each
 * 1.5 times the one before, rounded down. Bucket 0 is [0, 10 ms), bucket i is
 * [bound[i-1], bound[i]), bucket 23 is 71 s and more. A percentile interpolated in its bucket is
 * within a factor 1.5 of the true one (within 10 ms below 10 ms; above 71 s it reads 71 s).
 * Changing them needs every roll-up rebuilt: rows already written count by these.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  10, 15, 22, 33, 49, 73, 109, 163, 244, 366, 549, 823, 1_234, 1_851, 2_776, 4_164, 6_246, 9_369, 14_053,
  21_079, 31_618, 47_427, 71_140,
];
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;

const pad = (i: number) => String(i).padStart(2, "0");
export const LATENCY_COLUMNS = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `latency_${pad(i)}`);
export const STATUS_COLUMNS = [...USAGE_ERROR_STATUSES.map((status) => `status_${status}`), "status_other"];

/** Every measure column, in the order of the tables' definitions. */
export const MEASURE_COLUMNS = [
  "requests",
  "prompt_tokens",
  "completion_tokens",
  "cache_hits",
  "spend_usd",
  ...STATUS_COLUMNS,
  ...LATENCY_COLUMNS,
];

/**
 * The measures of a group of events, as aggregate expressions over `e`, a relation with the
 * usage_event columns status, prompt_tokens, completion_tokens, cached, the event's latency
 * bucket (latency_bucket), and price_in and price_out (USD per million tokens at write time).
 */
function eventMeasuresSql(e: string): string[] {
  return [
    "count(*)",
    `sum(${e}.prompt_tokens)`,
    `sum(${e}.completion_tokens)`,
    `count(*) FILTER (WHERE ${e}.cached)`,
    `coalesce(sum((${e}.prompt_tokens * ${e}.price_in + ${e}.completion_tokens * ${e}.price_out) / 1000000), 0)`,
    ...USAGE_ERROR_STATUSES.map((status) => `count(*) FILTER (WHERE ${e}.status = ${status})`),
    `count(*) FILTER (WHERE ${e}.status >= 400 AND ${e}.status NOT IN (${USAGE_ERROR_STATUSES.join(", ")}))`,
    ...LATENCY_COLUMNS.map((_, i) => `count(*) FILTER (WHERE ${e}.latency_bucket = ${i})`),
  ];
}

/**
 * The events of `events` summed by minute and by every dimension of any roll-up table, with
 * `is_minute_kept` false for an event older than `minutesSince` (an SQL timestamp expression).
 * A batch's events fall into one group per minute and combination of dimensions, usually far
 * fewer than events, and every table and grain adds up those instead of each event again: the
 * measures of each event once per table and grain were most of the usage writer's time in
 * PostgreSQL (docs/benchmarks.md).
 */
function eventGroupsSql(events: string, minutesSince: string | null): string {
  const measures = eventMeasuresSql("e").map((sql, i) => `${sql} AS ${MEASURE_COLUMNS[i]}`);
  return `SELECT date_trunc('minute', e.created_at) AS minute_start,
                 ${minutesSince === null ? "true" : `e.created_at >= ${minutesSince}`} AS is_minute_kept,
                 e.organization_id, coalesce(e.api_key_id, e.oauth_client_id, '') AS credential_id, e.tier_id,
                 coalesce(e.model_id, '') AS model_id, e.end_user_id,
                 ${measures.join(", ")}
            FROM ${events} e
           GROUP BY 1, 2, 3, 4, 5, 6, 7`;
}

/**
 * INSERT … ON CONFLICT DO UPDATE of one roll-up table from `groups` (eventGroupsSql). Rows go
 * in key order, so that concurrent writers take the rows' locks in one order and cannot
 * deadlock. `isMinuteLimited`: minute rows only of the groups whose minute is kept.
 */
function rollupUpsertSql(
  name: RollupTableName,
  groups: string,
  only: readonly RollupGrain[],
  isMinuteLimited: boolean,
): string {
  const { table, dimensions } = ROLLUP_TABLES[name];
  const grains = ROLLUP_TABLES[name].grains.filter((grain) => only.includes(grain));
  const keyColumns = ["grain", "bucket_start", ...dimensions];
  const keys = keyColumns.map((_, i) => i + 1).join(", ");
  const grainList = grains.map((grain) => `('${grain}')`).join(", ");
  const conditions = [
    ...(name === "endUser" ? ["x.end_user_id IS NOT NULL"] : []),
    ...(isMinuteLimited && grains.includes("minute") ? ["(g.grain <> 'minute' OR x.is_minute_kept)"] : []),
  ];
  const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
  return `INSERT INTO ${table} AS t (${[...keyColumns, ...MEASURE_COLUMNS].join(", ")})
    SELECT g.grain, date_trunc(g.grain, x.minute_start), ${dimensions.map((d) => `x.${d}`).join(", ")},
           ${MEASURE_COLUMNS.map((column) => `sum(x.${column})`).join(", ")}
      FROM ${groups} x CROSS JOIN (VALUES ${grainList}) AS g(grain)
      ${where}
     GROUP BY ${keys} ORDER BY ${keys}
    ON CONFLICT (${keyColumns.join(", ")}) DO UPDATE SET
      ${MEASURE_COLUMNS.map((column) => `${column} = t.${column} + EXCLUDED.${column}`).join(", ")}`;
}

/**
 * The events of `source` (usage_event columns) with what the roll-ups need of the time they were
 * written: the organization's tier and the model's prices.
 */
export function eventsForRollupSql(source: string): string {
  return `SELECT s.organization_id, s.api_key_id, s.oauth_client_id, s.model_id, s.end_user_id, s.status,
                 s.latency_ms, s.prompt_tokens, s.completion_tokens, s.cached, s.created_at, org.tier_id,
                 coalesce(model.input_price_per_m_tokens, 0) AS price_in,
                 coalesce(model.output_price_per_m_tokens, 0) AS price_out,
                 width_bucket(s.latency_ms, '{${LATENCY_BOUNDS_MS.join(",")}}'::int[]) AS latency_bucket
            FROM ${source} s
            JOIN organization org ON org.id = s.organization_id
            LEFT JOIN model ON model.id = s.model_id`;
}

/** The upsert of usage_rollup_month from `groups` (eventGroupsSql), rows in key order as the others'. */
function monthRollupUpsertSql(groups: string): string {
  return `INSERT INTO usage_rollup_month AS t (month_start, organization_id, credential_id, requests, tokens)
    SELECT date_trunc('month', x.minute_start), x.organization_id, x.credential_id,
           sum(x.requests), coalesce(sum(x.prompt_tokens + x.completion_tokens), 0)
      FROM ${groups} x
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (month_start, organization_id, credential_id) DO UPDATE SET
      requests = t.requests + EXCLUDED.requests, tokens = t.tokens + EXCLUDED.tokens`;
}

/**
 * The CTE event_groups over the CTE `events` (eventsForRollupSql), then the upserts of every
 * roll-up table from it, as CTEs named rollup_<table>.
 */
export function rollupUpsertCtes(
  events = "events",
  grains: readonly RollupGrain[] = ROLLUP_GRAINS,
  minutesSince: string | null = null,
): string {
  const tables = (Object.keys(ROLLUP_TABLES) as RollupTableName[]).map(
    (name) => `rollup_${name} AS (${rollupUpsertSql(name, "event_groups", grains, minutesSince !== null)})`,
  );
  return [
    `event_groups AS (${eventGroupsSql(events, minutesSince)})`,
    ...tables,
    `rollup_month AS (${monthRollupUpsertSql("event_groups")})`,
  ].join(",\n");
}

/**
 * One statement that adds the events of `source` (a table or a parenthesized query with the
 * usage_event columns) to every roll-up: the migration's backfill and the benchmark's seeding
 * use the writer's very definitions. `grains`: only rows of these; `minutesSince` (an SQL
 * timestamp expression): minute rows only of events from then on, as older ones would be pruned
 * at once (the other grains and the month of every event).
 */
export function addToRollupsSql(
  source: string,
  grains: readonly RollupGrain[] = ROLLUP_GRAINS,
  minutesSince: string | null = null,
): string {
  return `WITH events AS (${eventsForRollupSql(source)}),
${rollupUpsertCtes("events", grains, minutesSince)}
SELECT 1`;
}
