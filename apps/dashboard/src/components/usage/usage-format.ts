/**
 * How the usage page writes its numbers and times. Times are UTC, like the buckets (a day bucket
 * is a UTC day), and the page says so beside them.
 */
import type { UsageBucket } from "./usage-range.ts";

const UTC_TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});
const UTC_DAY = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  day: "numeric",
  month: "short",
  year: "numeric",
});
const UTC_CLOCK = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit" });
const COMPACT = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });
const WHOLE = new Intl.NumberFormat("en");
const PERCENT = new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 });

/** A bucket's start as its table cell and tooltip say it: "2 Dec, 17:05" or "2 Dec 2026". */
export function formatBucket(start: Date | number, bucket: UsageBucket): string {
  return (bucket === "day" ? UTC_DAY : UTC_TIME).format(start);
}

/** A tick of the time axis: short, the time of day for minutes and hours. */
export function formatTick(start: number, bucket: UsageBucket, rangeMs: number): string {
  if (bucket === "day") return UTC_DAY.format(start).replace(/ \d{4}$/, "");
  // over more than a day the clock alone would repeat
  return rangeMs > 86_400_000 ? UTC_TIME.format(start) : UTC_CLOCK.format(start);
}

export function formatCount(value: number): string {
  return WHOLE.format(value);
}

/** Axis numbers: 1.2K, 3.4M. */
export function formatCompact(value: number): string {
  return COMPACT.format(value);
}

export function formatPercent(fraction: number): string {
  return PERCENT.format(fraction);
}

export function formatLatency(ms: number | null): string {
  if (ms === null) return "—";
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${WHOLE.format(Math.round(ms))} ms`;
}

/** Dollars with cents, and the fractions of a cent that cheap models cost. */
export function formatUsd(value: number): string {
  if (value !== 0 && Math.abs(value) < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toLocaleString("en", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
