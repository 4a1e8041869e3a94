/**
 * The time ranges of the usage page: the presets of the range picker and custom ranges of whole
 * days, each turned into the half-open [from, to) and bucket that `usage.analytics` takes. Every
 * range ends at the end of the bucket that holds "now", so its last point is the one still filling
 * and every bucket of the chart is a whole one. Days are UTC days, like the roll-ups' buckets.
 */
import {
  USAGE_BUCKET_MAX_RANGE_MS,
  USAGE_BUCKETS,
  USAGE_HOUR_BUCKETS_KEPT_MS,
  USAGE_MINUTE_BUCKETS_KEPT_MS,
  type UsageBucket,
} from "@dsc/trpc/schemas";

export { USAGE_BUCKETS, type UsageBucket };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const BUCKET_MS: Record<UsageBucket, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

/** The longest range each bucket may cover (the server refuses more). */
export const MAX_RANGE_MS = USAGE_BUCKET_MAX_RANGE_MS;

export const BUCKET_LABELS: Record<UsageBucket, string> = {
  minute: "By minute",
  hour: "By hour",
  day: "By day",
};

export const RANGE_PRESETS = ["1h", "24h", "7d", "30d", "90d"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export type RangeChoice = RangePreset | "custom";

interface PresetDefinition {
  label: string;
  durationMs: number;
  /** the buckets offered, the default first */
  buckets: readonly [UsageBucket, ...UsageBucket[]];
}

export const PRESETS: Record<RangePreset, PresetDefinition> = {
  "1h": { label: "Last hour", durationMs: HOUR_MS, buckets: ["minute"] },
  "24h": { label: "Last 24 hours", durationMs: DAY_MS, buckets: ["hour"] },
  "7d": { label: "Last 7 days", durationMs: 7 * DAY_MS, buckets: ["hour", "day"] },
  "30d": { label: "Last 30 days", durationMs: 30 * DAY_MS, buckets: ["day"] },
  "90d": { label: "Last 90 days", durationMs: 90 * DAY_MS, buckets: ["day"] },
};

export const DEFAULT_PRESET: RangePreset = "24h";

export interface UsageRange {
  from: Date;
  to: Date;
  bucket: UsageBucket;
}

/** The start of the bucket that holds `at` (UTC). */
export function bucketStart(at: Date, bucket: UsageBucket): Date {
  const size = BUCKET_MS[bucket];
  return new Date(Math.floor(at.getTime() / size) * size);
}

/** A preset's range up to the end of the current bucket; a bucket it does not offer gives its default. */
export function presetRange(preset: RangePreset, bucket: UsageBucket | undefined, now: Date): UsageRange {
  const definition = PRESETS[preset];
  const chosen = bucket && definition.buckets.includes(bucket) ? bucket : definition.buckets[0];
  const to = new Date(bucketStart(now, chosen).getTime() + BUCKET_MS[chosen]);
  return { from: new Date(to.getTime() - definition.durationMs), to, bucket: chosen };
}

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A "YYYY-MM-DD" date as the start of that UTC day, or null when it is not a real date. */
export function parseDay(text: string | null | undefined): Date | null {
  const match = text ? DAY_PATTERN.exec(text) : null;
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-31 over into March: such a date was not a real one
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? date
    : null;
}

/** The "YYYY-MM-DD" of the UTC day that holds `at`. */
export function formatDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * The buckets a range of this length may use, finest first; with its start, only those still kept
 * for it (minute rows 48 hours, hour rows 400 days: the server refuses older ones).
 */
export function bucketsFor(rangeMs: number, from?: Date, now: Date = new Date()): UsageBucket[] {
  const age = from === undefined ? 0 : now.getTime() - from.getTime();
  return USAGE_BUCKETS.filter(
    (bucket) =>
      rangeMs > 0 && rangeMs <= MAX_RANGE_MS[bucket] && age <= (BUCKETS_KEPT_MS[bucket] ?? Infinity),
  );
}

const BUCKETS_KEPT_MS: Partial<Record<UsageBucket, number>> = {
  minute: USAGE_MINUTE_BUCKETS_KEPT_MS,
  hour: USAGE_HOUR_BUCKETS_KEPT_MS,
};

/** The bucket a range gets when none was chosen: hours when they fit, else days. */
export function defaultBucketFor(rangeMs: number, from?: Date, now?: Date): UsageBucket | null {
  const allowed = bucketsFor(rangeMs, from, now);
  if (allowed.includes("hour")) return "hour";
  return allowed.at(-1) ?? null;
}

/**
 * A custom range of whole UTC days, both days included; null when a date is missing or not real,
 * the last day is before the first, or the range is longer than any bucket allows.
 */
export function customRange(
  firstDay: string | null | undefined,
  lastDay: string | null | undefined,
  bucket: UsageBucket | undefined,
  now: Date = new Date(),
): UsageRange | null {
  const from = parseDay(firstDay);
  const last = parseDay(lastDay);
  if (!from || !last) return null;
  const to = new Date(last.getTime() + DAY_MS);
  const rangeMs = to.getTime() - from.getTime();
  const allowed = bucketsFor(rangeMs, from, now);
  const fallback = defaultBucketFor(rangeMs, from, now);
  if (!fallback) return null;
  return { from, to, bucket: bucket && allowed.includes(bucket) ? bucket : fallback };
}

/** The days of a preset's range, for a custom range that starts where the preset was. */
export function presetDays(preset: RangePreset, now: Date): { firstDay: string; lastDay: string } {
  // in days where the preset offers them, so that "last 7 days" stays seven days
  const { from, to } = presetRange(preset, "day", now);
  return { firstDay: formatDay(from), lastDay: formatDay(new Date(to.getTime() - 1)) };
}

/** Every bucket start in [from, to): the x axis, with buckets that had no requests too. */
export function bucketStarts({ from, to, bucket }: UsageRange): Date[] {
  const size = BUCKET_MS[bucket];
  const starts: Date[] = [];
  for (let at = bucketStart(from, bucket).getTime(); at < to.getTime(); at += size) starts.push(new Date(at));
  return starts;
}
