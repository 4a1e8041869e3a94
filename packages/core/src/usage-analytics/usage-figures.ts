import { USAGE_ERROR_STATUSES, USAGE_OTHER_ERROR_STATUS } from "@dsc/vocabulary";
import {
  LATENCY_BOUNDS_MS,
  LATENCY_COLUMNS,
  MEASURE_COLUMNS,
  STATUS_COLUMNS,
} from "../usage/usage-rollups.ts";

/** What the usage of a bucket, a group or a whole range comes to. */
export interface UsageFigures {
  requests: number;
  /** responses with status ≥ 400 */
  errors: number;
  /** the statuses of USAGE_ERROR_STATUSES that occurred, and the rest as USAGE_OTHER_ERROR_STATUS */
  errorsByStatus: Array<{ status: number; count: number }>;
  promptTokens: number;
  completionTokens: number;
  cacheHits: number;
  /** cache hits per request, 0..1 (0 without requests) */
  cacheHitRate: number;
  /** interpolated in the latency histogram: within a factor 1.5 of the true value (see usage-rollups.ts) */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** model prices at the time of each request × its tokens */
  spendUsd: number;
}

/** The measure columns of roll-up rows, summed: one number per MEASURE_COLUMNS entry. */
export type Measures = number[];

export const emptyMeasures = (): Measures => MEASURE_COLUMNS.map(() => 0);

/**
 * `sum(column)` of every measure, as select expressions named m0, m1, …, summed as float8 (exact
 * for integers below 2^53), which pg hands over as numbers: sums of the bigint counts would be
 * numeric, which costs several times more to add up and arrives as text.
 */
export function summedMeasuresSql(): string {
  return MEASURE_COLUMNS.map((column, i) => `sum(${column}::float8) AS m${i}`).join(", ");
}

/** The measures of a row read as an array (pg's rowMode "array"), from its column `first` on. */
export function measuresAt(row: readonly unknown[], first: number): Measures {
  const measures: Measures = new Array(MEASURE_COLUMNS.length);
  for (let i = 0; i < measures.length; i += 1) measures[i] = Number(row[first + i] ?? 0);
  return measures;
}

export function addMeasures(into: Measures, more: Measures): Measures {
  for (let i = 0; i < into.length; i += 1) into[i] = (into[i] ?? 0) + (more[i] ?? 0);
  return into;
}

/** `from` less `less`, in place (a bucket's "other" starts as a copy of its totals). */
export function subtractMeasures(from: Measures, less: Measures): Measures {
  for (let i = 0; i < from.length; i += 1) from[i] = (from[i] ?? 0) - (less[i] ?? 0);
  return from;
}

const at = (column: string) => MEASURE_COLUMNS.indexOf(column);
const REQUESTS = at("requests");
const PROMPT_TOKENS = at("prompt_tokens");
const COMPLETION_TOKENS = at("completion_tokens");
const CACHE_HITS = at("cache_hits");
const SPEND = at("spend_usd");
const STATUSES = STATUS_COLUMNS.map(at);
const LATENCY_FIRST = at(LATENCY_COLUMNS[0] ?? "");
const LATENCY_COUNT = LATENCY_COLUMNS.length;
// figuresOf reads the histogram as one run of columns
if (LATENCY_COLUMNS.some((column, i) => at(column) !== LATENCY_FIRST + i)) {
  throw new Error("the latency columns must follow each other in MEASURE_COLUMNS");
}
const STATUS_OF_COLUMN = [...USAGE_ERROR_STATUSES, USAGE_OTHER_ERROR_STATUS];

export const requestsOf = (measures: Measures): number => measures[REQUESTS] ?? 0;

/**
 * The figures people read from summed measures. Called once per point (thousands per answer):
 * plain loops, and the histogram read in place rather than copied out.
 */
export function figuresOf(measures: Measures): UsageFigures {
  const requests = requestsOf(measures);
  const errorsByStatus: UsageFigures["errorsByStatus"] = [];
  let errors = 0;
  for (let i = 0; i < STATUSES.length; i += 1) {
    const count = measures[STATUSES[i] ?? -1] ?? 0;
    if (count <= 0) continue;
    errors += count;
    errorsByStatus.push({ status: STATUS_OF_COLUMN[i] ?? USAGE_OTHER_ERROR_STATUS, count });
  }
  const cacheHits = measures[CACHE_HITS] ?? 0;
  return {
    requests,
    errors,
    errorsByStatus,
    promptTokens: measures[PROMPT_TOKENS] ?? 0,
    completionTokens: measures[COMPLETION_TOKENS] ?? 0,
    cacheHits,
    cacheHitRate: requests > 0 ? cacheHits / requests : 0,
    latencyP50Ms: latencyPercentileAt(measures, 0.5),
    latencyP95Ms: latencyPercentileAt(measures, 0.95),
    spendUsd: Math.round((measures[SPEND] ?? 0) * 1e6) / 1e6,
  };
}

/** latencyPercentile of the histogram held in a Measures' latency columns. */
function latencyPercentileAt(measures: Measures, p: number): number | null {
  return percentileOf(LATENCY_COUNT, (i) => measures[LATENCY_FIRST + i] ?? 0, p);
}

/**
 * The p-quantile (nearest rank) of latencies counted in the histogram of LATENCY_BOUNDS_MS,
 * interpolated linearly within the bucket that holds that rank. The true value lies in the same
 * bucket, whose upper bound is at most 1.5 × its lower one: so the estimate is within a factor
 * 1.5 of it (within 10 ms in the first bucket; the open last bucket reads as its lower bound).
 */
export function latencyPercentile(histogram: readonly number[], p: number): number | null {
  return percentileOf(histogram.length, (i) => histogram[i] ?? 0, p);
}

function percentileOf(buckets: number, countAt: (i: number) => number, p: number): number | null {
  let total = 0;
  for (let i = 0; i < buckets; i += 1) total += countAt(i);
  if (total <= 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let before = 0;
  for (let i = 0; i < buckets; i += 1) {
    const count = countAt(i);
    if (count > 0 && before + count >= rank) {
      const low = i === 0 ? 0 : (LATENCY_BOUNDS_MS[i - 1] ?? 0);
      const high = LATENCY_BOUNDS_MS[i];
      if (high === undefined) return low;
      // the rank's place among the bucket's values, spread evenly over [low, high)
      return Math.round(low + ((high - low) * (rank - before - 0.5)) / count);
    }
    before += count;
  }
  return null;
}
