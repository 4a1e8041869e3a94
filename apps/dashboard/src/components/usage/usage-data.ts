/**
 * What the usage page makes of `usage.analytics`' answer: the rows of its table and CSV, the
 * series of its charts (every bucket of the range, those without requests as zero), and the
 * figures above them. Pure, so that the page only draws.
 */
import type { AppRouter } from "@dsc/trpc";
import { USAGE_OTHER_GROUP } from "@dsc/trpc/schemas";
import type { inferRouterOutputs } from "@trpc/server";
import type { CsvColumn } from "../csv.ts";
import { bucketStarts, type UsageBucket } from "./usage-range.ts";
import { GROUPING_NOUNS, type UsageGroupBy } from "./usage-view.ts";

/** The answer of `usage.analytics`, as the router gives it. */
export type UsageAnalytics = inferRouterOutputs<AppRouter>["usage"]["analytics"];
/** The figures of one bucket, one group or the whole range. */
export type UsageFigures = UsageAnalytics["totals"];

/** The group that sums every group beyond the ten with the most requests. */
export const OTHER_GROUP_KEY = USAGE_OTHER_GROUP;

export function errorRate(figures: Pick<UsageFigures, "requests" | "errors">): number {
  return figures.requests === 0 ? 0 : figures.errors / figures.requests;
}

/** A chart series: `dataKey` is a plain key, as recharts reads dots in a key as a path (gpt-4.1). */
export interface UsageSeries {
  dataKey: string;
  groupKey: string;
  label: string;
}

/** One series per group, most requests first, with groups only the points name kept too. */
export function usageSeries(analytics: UsageAnalytics): UsageSeries[] {
  const labels = new Map(analytics.groups.map((group) => [group.key, group.label]));
  for (const point of analytics.points)
    if (!labels.has(point.groupKey)) labels.set(point.groupKey, point.groupKey);
  return [...labels].map(([groupKey, label], index) => ({ dataKey: `g${index}`, groupKey, label }));
}

export type ChartRow = { start: number } & Record<string, number | null>;

export type SummedFigure = "requests" | "errors" | "promptTokens" | "completionTokens" | "spendUsd";

/** Per bucket, one group's figure under its series' key (0 for a bucket without requests): stacked charts. */
export function stackedRows(analytics: UsageAnalytics, figure: SummedFigure): ChartRow[] {
  const series = usageSeries(analytics);
  const dataKeys = new Map(series.map((one) => [one.groupKey, one.dataKey]));
  const rows = emptyRows(analytics, () => Object.fromEntries(series.map((one) => [one.dataKey, 0])));
  for (const point of analytics.points) {
    const row = rows.get(point.start.getTime());
    const dataKey = dataKeys.get(point.groupKey);
    if (row && dataKey) row[dataKey] = (row[dataKey] ?? 0) + point[figure];
  }
  return [...rows.values()];
}

/** Per bucket, the sums over every group: tokens, spend, requests, errors. */
export function summedRows(analytics: UsageAnalytics): ChartRow[] {
  const figures: SummedFigure[] = ["requests", "errors", "promptTokens", "completionTokens", "spendUsd"];
  const rows = emptyRows(analytics, () => Object.fromEntries(figures.map((figure) => [figure, 0])));
  for (const point of analytics.points) {
    const row = rows.get(point.start.getTime());
    if (!row) continue;
    for (const figure of figures) row[figure] = (row[figure] ?? 0) + point[figure];
  }
  return [...rows.values()];
}

/**
 * Latency per bucket. Percentiles of groups cannot be added up, so a grouped view shows each
 * group's p95 under its series' key, and an ungrouped one its p50 and p95. A bucket without
 * requests has no latency (null: a gap in the line, not a fall to zero).
 */
export function latencyRows(analytics: UsageAnalytics): { rows: ChartRow[]; isByGroup: boolean } {
  const series = usageSeries(analytics);
  const isByGroup = series.length > 1;
  const keys = isByGroup ? series.map((one) => one.dataKey) : ["latencyP50Ms", "latencyP95Ms"];
  const rows = emptyRows(analytics, () => Object.fromEntries(keys.map((key) => [key, null])));
  const dataKeys = new Map(series.map((one) => [one.groupKey, one.dataKey]));
  for (const point of analytics.points) {
    const row = rows.get(point.start.getTime());
    if (!row) continue;
    if (isByGroup) {
      const dataKey = dataKeys.get(point.groupKey);
      if (dataKey) row[dataKey] = point.latencyP95Ms;
    } else {
      row.latencyP50Ms = point.latencyP50Ms;
      row.latencyP95Ms = point.latencyP95Ms;
    }
  }
  return { rows: [...rows.values()], isByGroup };
}

function emptyRows(
  analytics: UsageAnalytics,
  values: () => Record<string, number | null>,
): Map<number, ChartRow> {
  return new Map(
    bucketStarts(analytics).map((start) => [
      start.getTime(),
      { start: start.getTime(), ...values() } as ChartRow,
    ]),
  );
}

/** A line of the table view and the CSV: one bucket of one group. */
export interface UsageTableRow extends UsageFigures {
  start: Date;
  groupKey: string;
  groupLabel: string;
}

/** The points in time order, the groups of a bucket in the order of their totals. */
export function usageTableRows(analytics: UsageAnalytics): UsageTableRow[] {
  const series = usageSeries(analytics);
  const rank = new Map(series.map((one, index) => [one.groupKey, index]));
  const labels = new Map(series.map((one) => [one.groupKey, one.label]));
  return analytics.points
    .map((point) => ({ ...point, groupLabel: labels.get(point.groupKey) ?? point.groupKey }))
    .sort(
      (a, b) =>
        a.start.getTime() - b.start.getTime() || (rank.get(a.groupKey) ?? 0) - (rank.get(b.groupKey) ?? 0),
    );
}

/** The table's caption: what one line is. */
export function usageTableCaption(bucket: UsageBucket, groupBy: UsageGroupBy): string {
  const grouping = groupBy === "none" ? "" : ` and ${GROUPING_NOUNS[groupBy]}`;
  return `Usage by ${bucket}${grouping}`;
}

/** The CSV's columns: raw numbers (rates as fractions, times in ISO 8601 UTC), for a spreadsheet to format. */
export function usageCsvColumns(groupBy: UsageGroupBy): CsvColumn<UsageTableRow>[] {
  return [
    { header: "bucket_start", value: (row) => row.start },
    ...(groupBy === "none"
      ? []
      : [
          { header: `${groupBy}_key`, value: (row: UsageTableRow) => row.groupKey },
          { header: groupBy, value: (row: UsageTableRow) => row.groupLabel },
        ]),
    { header: "requests", value: (row) => row.requests },
    { header: "errors", value: (row) => row.errors },
    { header: "error_rate", value: (row) => round(errorRate(row), 6) },
    { header: "prompt_tokens", value: (row) => row.promptTokens },
    { header: "completion_tokens", value: (row) => row.completionTokens },
    { header: "cache_hits", value: (row) => row.cacheHits },
    { header: "cache_hit_rate", value: (row) => round(row.cacheHitRate, 6) },
    { header: "latency_p50_ms", value: (row) => row.latencyP50Ms },
    { header: "latency_p95_ms", value: (row) => row.latencyP95Ms },
    { header: "spend_usd", value: (row) => round(row.spendUsd, 6) },
  ];
}

/** e.g. usage-hour-2026-12-01T00-00Z-to-2026-12-02T00-00Z.csv */
export function usageCsvFilename({
  bucket,
  from,
  to,
}: Pick<UsageAnalytics, "bucket" | "from" | "to">): string {
  const stamp = (at: Date) => `${at.toISOString().slice(0, 16).replace(":", "-")}Z`;
  return `usage-${bucket}-${stamp(from)}-to-${stamp(to)}.csv`;
}

/** Errors by status, the most frequent first, each with its share of the errors. */
export function errorStatusRows(figures: UsageFigures): { status: number; count: number; share: number }[] {
  return [...figures.errorsByStatus]
    .sort((a, b) => b.count - a.count || a.status - b.status)
    .map(({ status, count }) => ({
      status,
      count,
      share: figures.errors === 0 ? 0 : count / figures.errors,
    }));
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
