import { type Database, sqlPoolOf } from "@dsc/db";
import {
  USAGE_ALL_GROUP,
  USAGE_MINUTE_BUCKETS_KEPT_MS,
  USAGE_OTHER_GROUP,
  USAGE_TOP_GROUPS,
  type UsageBucket,
  type UsageGrouping,
} from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { ROLLUP_TABLES, type RollupGrain, type RollupTableName } from "../usage/usage-rollups.ts";
import {
  addMeasures,
  emptyMeasures,
  figuresOf,
  type Measures,
  measuresAt,
  requestsOf,
  subtractMeasures,
  summedMeasuresSql,
  type UsageFigures,
} from "./usage-figures.ts";
import { labelUsageGroups } from "./usage-group-labels.ts";

export interface UsageAnalyticsQuery {
  /** null: every organization */
  organizationId: string | null;
  /** a developer's own organization: any other is not found, and none means theirs */
  visibleTo: string | null;
  from: Date;
  to: Date;
  bucket: UsageBucket;
  groupBy: UsageGrouping;
  tierId?: string | undefined;
  modelId?: string | undefined;
  apiKeyId?: string | undefined;
}

export interface UsageGroup {
  key: string;
  label: string;
  totals: UsageFigures;
}

export type UsagePoint = { start: Date; groupKey: string } & UsageFigures;

export interface UsageAnalytics {
  bucket: UsageBucket;
  /** the range asked for, widened to whole buckets */
  from: Date;
  to: Date;
  /** the groups with most requests (at most USAGE_TOP_GROUPS), then USAGE_OTHER_GROUP for the rest */
  groups: UsageGroup[];
  /** one per bucket and group that has requests, in time order */
  points: UsagePoint[];
  totals: UsageFigures;
}

const GROUP_COLUMN: Record<Exclude<UsageGrouping, "none">, string> = {
  tier: "tier_id",
  organization: "organization_id",
  model: "model_id",
  apiKey: "credential_id",
  endUser: "end_user_id",
};

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const BUCKET_MS: Record<UsageBucket, number> = { minute: 60_000, hour: HOUR_MS, day: DAY_MS };

/**
 * Usage over a range, in buckets, grouped, from the roll-ups (never usage_event): the totals and
 * each bucket's from the smallest roll-up that has the filters' dimensions, the groups' from the
 * smallest that also has the group's. The ten groups with most requests are named, ranked in
 * the database (topGroups) so that only their buckets are read, however many groups there are
 * (end-user ids are the callers' to choose); "other" is the totals less theirs, so every request
 * is counted once. Minute buckets are refused past the time they are kept, where they would
 * read as no usage.
 */
export async function queryUsageAnalytics(
  deps: { db: Database; clock: Clock },
  query: UsageAnalyticsQuery,
): Promise<UsageAnalytics> {
  const organizationId = scopedOrganization(query);
  refuseMinutesNoLongerKept(query, deps.clock.now());
  if (query.groupBy === "endUser" && organizationId === null) {
    throw new DomainError("invalid", "Choose an organization to group its usage by end user.", "groupBy");
  }
  if (query.groupBy === "endUser" && (query.tierId || query.apiKeyId)) {
    throw new DomainError(
      "invalid",
      "Usage by end user can be filtered by model only; clear the tier and key filters.",
      "groupBy",
    );
  }
  const from = floorTo(query.bucket, query.from);
  const to = ceilTo(query.bucket, query.to);
  const filters: Filters = {
    organizationId,
    tierId: query.tierId ?? null,
    modelId: query.modelId ?? null,
    credentialId: query.apiKeyId ?? null,
  };
  const range = { grain: query.bucket as RollupGrain, from, to };
  const pool = sqlPoolOf(deps.db);
  // rows as arrays: thousands of rows of forty-odd sums each, where objects with named
  // columns cost more than the sums
  const read: Read = (sql, params) =>
    pool.query<unknown[]>({ text: sql, values: params, rowMode: "array" }).then((result) => result.rows);

  const totalsTable = smallestTable(filters, null, range.grain);
  const readTotals = () => readBuckets(read, totalsTable, range, filters, null, null);

  if (query.groupBy === "none") {
    const totalsByBucket = await readTotals();
    const totals = sumAll(totalsByBucket.values());
    return {
      bucket: query.bucket,
      from,
      to,
      groups:
        requestsOf(totals) > 0
          ? [{ key: USAGE_ALL_GROUP, label: "All usage", totals: figuresOf(totals) }]
          : [],
      points: [...totalsByBucket].map(([start, measures]) => point(start, USAGE_ALL_GROUP, measures)),
      totals: figuresOf(totals),
    };
  }

  const groupColumn = GROUP_COLUMN[query.groupBy];
  const groupTable = smallestTable(filters, query.groupBy, range.grain);
  // the totals need not wait for the ranking
  const [byGroup, totalsByBucket] = await Promise.all([
    topGroups(read, groupTable, query.groupBy, range, filters).then((top) =>
      top.length > 0
        ? readGroupBuckets(read, groupTable, range, filters, groupColumn, top)
        : new Map<string, Map<number, Measures>>(),
    ),
    readTotals(),
  ]);
  const totals = sumAll(totalsByBucket.values());
  const ranked = [...byGroup]
    .map(([key, buckets]) => ({ key, buckets, totals: sumAll(buckets.values()) }))
    .filter((group) => requestsOf(group.totals) > 0)
    .sort((a, b) => requestsOf(b.totals) - requestsOf(a.totals) || (a.key < b.key ? -1 : 1))
    .slice(0, USAGE_TOP_GROUPS);

  const points: UsagePoint[] = [];
  // each bucket's totals, summed above, become its "other" as the named groups are taken out
  const others = totalsByBucket;
  for (const group of ranked) {
    for (const [start, measures] of group.buckets) {
      points.push(point(start, group.key, measures));
      const other = others.get(start);
      if (other) subtractMeasures(other, measures);
      else others.set(start, subtractMeasures(emptyMeasures(), measures));
    }
  }
  const otherTotals = emptyMeasures();
  for (const [start, measures] of others) {
    if (requestsOf(measures) <= 0) continue;
    points.push(point(start, USAGE_OTHER_GROUP, measures));
    addMeasures(otherTotals, measures);
  }
  points.sort((a, b) => a.start.getTime() - b.start.getTime());

  const labels = await labelUsageGroups(
    deps,
    query.groupBy,
    ranked.map((group) => group.key),
  );
  const groups: UsageGroup[] = ranked.map((group) => ({
    key: group.key,
    label: labels.get(group.key) ?? group.key,
    totals: figuresOf(group.totals),
  }));
  if (requestsOf(otherTotals) > 0) {
    groups.push({ key: USAGE_OTHER_GROUP, label: "Other", totals: figuresOf(otherTotals) });
  }
  return { bucket: query.bucket, from, to, groups, points, totals: figuresOf(totals) };
}

/**
 * Minute rows older than USAGE_MINUTE_BUCKETS_KEPT_MS are pruned: a range by the minute that
 * starts before then would read as no usage, so it is refused (one bucket of slack, for a range
 * chosen a moment before it is asked).
 */
function refuseMinutesNoLongerKept(query: UsageAnalyticsQuery, now: Date): void {
  if (query.bucket !== "minute") return;
  const oldestKept = now.getTime() - USAGE_MINUTE_BUCKETS_KEPT_MS - BUCKET_MS.minute;
  if (query.from.getTime() < oldestKept) {
    throw new DomainError(
      "invalid",
      "Minute buckets are kept for 48 hours; choose hours or days for older ranges.",
      "from",
    );
  }
}

function scopedOrganization(query: UsageAnalyticsQuery): string | null {
  if (query.visibleTo === null) return query.organizationId;
  if (query.organizationId !== null && query.organizationId !== query.visibleTo) {
    throw new DomainError(
      "not_found",
      `organization ${query.organizationId} does not exist`,
      "organizationId",
    );
  }
  return query.visibleTo;
}

interface Filters {
  organizationId: string | null;
  tierId: string | null;
  modelId: string | null;
  credentialId: string | null;
}

interface Range {
  grain: RollupGrain;
  from: Date;
  to: Date;
}

/** A query's rows as arrays, its columns in select order. */
type Read = (sql: string, params: unknown[]) => Promise<unknown[][]>;

/**
 * The roll-up with the fewest rows that keeps every dimension the query filters or groups by
 * (an organization's minutes are its credentials').
 */
function smallestTable(filters: Filters, groupBy: UsageGrouping | null, grain: RollupGrain): RollupTableName {
  if (groupBy === "endUser") return "endUser";
  if (filters.credentialId !== null || groupBy === "apiKey") return "credential";
  if (filters.organizationId !== null || groupBy === "organization") {
    return grain === "minute" ? "credential" : "organization";
  }
  return "platform";
}

/** WHERE clause of a table's rows in a range under the filters, and its parameters. */
function whereRows(table: RollupTableName, range: Range, filters: Filters, params: unknown[]): string {
  const dimensions: readonly string[] = ROLLUP_TABLES[table].dimensions;
  params.push(range.grain, range.from.toISOString(), range.to.toISOString());
  const conditions = ["grain = $1", "bucket_start >= $2::timestamp(3)", "bucket_start < $3::timestamp(3)"];
  const filter = (column: string, value: string | null) => {
    if (value === null || !dimensions.includes(column)) return;
    params.push(value);
    conditions.push(`${column} = $${params.length}`);
  };
  filter("organization_id", filters.organizationId);
  filter("tier_id", filters.tierId);
  filter("model_id", filters.modelId);
  filter("credential_id", filters.credentialId);
  return conditions.join(" AND ");
}

/** Each bucket's summed measures, keyed by the bucket's start (ms). */
async function readBuckets(
  read: Read,
  table: RollupTableName,
  range: Range,
  filters: Filters,
  groupColumn: string | null,
  groups: string[] | null,
): Promise<Map<number, Measures>> {
  const params: unknown[] = [];
  const where = whereRows(table, range, filters, params);
  const rows = await read(
    `SELECT (extract(epoch FROM bucket_start) * 1000)::float8 AS start, ${summedMeasuresSql()}
       FROM ${ROLLUP_TABLES[table].table} WHERE ${where}${groupFilter(groupColumn, groups, params)}
      GROUP BY bucket_start ORDER BY bucket_start`,
    params,
  );
  return new Map(rows.map((row) => [Number(row[0]), measuresAt(row, 1)]));
}

function groupFilter(groupColumn: string | null, groups: string[] | null, params: unknown[]): string {
  if (groupColumn === null || groups === null) return "";
  params.push(groups);
  return ` AND ${groupColumn} = ANY($${params.length}::text[])`;
}

/** The buckets of each of the groups named (the top groups: never more than USAGE_TOP_GROUPS). */
async function readGroupBuckets(
  read: Read,
  table: RollupTableName,
  range: Range,
  filters: Filters,
  groupColumn: string,
  groups: string[],
): Promise<Map<string, Map<number, Measures>>> {
  const params: unknown[] = [];
  const where = whereRows(table, range, filters, params);
  const rows = await read(
    `SELECT ${groupColumn} AS group_key, (extract(epoch FROM bucket_start) * 1000)::float8 AS start,
            ${summedMeasuresSql()}
       FROM ${ROLLUP_TABLES[table].table} WHERE ${where}${groupFilter(groupColumn, groups, params)}
      GROUP BY ${groupColumn}, bucket_start`,
    params,
  );
  const byGroup = new Map<string, Map<number, Measures>>();
  for (const row of rows) {
    const key = String(row[0]);
    const buckets = byGroup.get(key) ?? new Map<number, Measures>();
    buckets.set(Number(row[1]), measuresAt(row, 2));
    byGroup.set(key, buckets);
  }
  return byGroup;
}

/**
 * The USAGE_TOP_GROUPS groups with most requests (ties by key), ranked in the database so that
 * Node never holds more than their buckets. Within one organization, or by tier or model, over
 * the range's own rows (by the (grain, organization, bucket) order of the table's key or index):
 * exact. Organizations or keys of the whole platform are too many rows for that, so they are
 * ranked over the range widened to a coarser grain, far fewer rows: whole months for a range of
 * four weeks or more (usage_rollup_month without a tier or model filter, else the table's own
 * month rows), else whole days for a day or more, else whole hours. The groups' figures are then
 * exact; only the choice of the ten may differ from the range's own ranking, by the requests at
 * its edges.
 */
async function topGroups(
  read: Read,
  table: RollupTableName,
  groupBy: Exclude<UsageGrouping, "none">,
  range: Range,
  filters: Filters,
): Promise<string[]> {
  const groupColumn = GROUP_COLUMN[groupBy];
  const many = groupBy === "organization" || groupBy === "apiKey";
  if (!many || filters.organizationId !== null) {
    const params: unknown[] = [];
    const where = whereRows(table, range, filters, params);
    params.push(USAGE_TOP_GROUPS);
    const rows = await read(
      `SELECT ${groupColumn} AS group_key FROM ${ROLLUP_TABLES[table].table} WHERE ${where}
        GROUP BY ${groupColumn} HAVING sum(requests) > 0
        ORDER BY sum(requests) DESC, ${groupColumn} LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => String(row[0]));
  }
  const span = range.to.getTime() - range.from.getTime();
  const unfiltered = filters.tierId === null && filters.modelId === null;
  if (span >= 28 * DAY_MS && unfiltered) {
    const params: unknown[] = [floorToMonth(range.from).toISOString(), range.to.toISOString()];
    const byCredential = filters.credentialId === null ? "" : "AND credential_id = $3";
    if (filters.credentialId !== null) params.push(filters.credentialId);
    params.push(USAGE_TOP_GROUPS);
    const rows = await read(
      `SELECT ${groupColumn} AS group_key FROM usage_rollup_month
        WHERE month_start >= $1::timestamp(3) AND month_start < $2::timestamp(3) ${byCredential}
        GROUP BY ${groupColumn} ORDER BY sum(requests) DESC, ${groupColumn} LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => String(row[0]));
  }
  const grain: RollupGrain = coarser(
    span >= 28 * DAY_MS ? "month" : span >= DAY_MS ? "day" : "hour",
    range.grain,
  );
  // an organization's minutes are read from the credential roll-up, its hours and days are its own
  const coarseTable =
    table === "credential" &&
    groupBy === "organization" &&
    filters.credentialId === null &&
    grain !== "minute"
      ? "organization"
      : table;
  const widened = { grain, from: floorTo(grain, range.from), to: range.to };
  const params: unknown[] = [];
  const where = whereRows(coarseTable, widened, filters, params);
  params.push(USAGE_TOP_GROUPS);
  const rows = await read(
    `SELECT ${groupColumn} AS group_key FROM ${ROLLUP_TABLES[coarseTable].table} WHERE ${where}
      GROUP BY ${groupColumn} ORDER BY sum(requests) DESC, ${groupColumn} LIMIT $${params.length}`,
    params,
  );
  return rows.map((row) => String(row[0]));
}

function floorToMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

const GRAIN_ORDER: RollupGrain[] = ["minute", "hour", "day", "month"];
const coarser = (a: RollupGrain, b: RollupGrain): RollupGrain =>
  GRAIN_ORDER.indexOf(a) >= GRAIN_ORDER.indexOf(b) ? a : b;

/** The start of the bucket (UTC) that holds `at`. */
export function floorTo(grain: RollupGrain, at: Date): Date {
  if (grain === "month") return floorToMonth(at);
  const size = BUCKET_MS[grain];
  return new Date(Math.floor(at.getTime() / size) * size);
}

function ceilTo(bucket: UsageBucket, at: Date): Date {
  const size = BUCKET_MS[bucket];
  return new Date(Math.ceil(at.getTime() / size) * size);
}

function sumAll(measures: Iterable<Measures>): Measures {
  const sum = emptyMeasures();
  for (const each of measures) addMeasures(sum, each);
  return sum;
}

function point(start: number, groupKey: string, measures: Measures): UsagePoint {
  return { start: new Date(start), groupKey, ...figuresOf(measures) };
}
