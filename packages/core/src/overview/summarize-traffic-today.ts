import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { queryUsageAnalytics, type UsageAnalyticsQuery } from "../usage-analytics/query-usage-analytics.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface TrafficFigures {
  requests: number;
  /** responses with status ≥ 400 */
  errors: number;
  /** errors / requests; null without requests */
  errorRate: number | null;
}

export interface TrafficHour {
  start: Date;
  requests: number;
  errors: number;
  /** the same hour yesterday (for the current hour: up to the same minute) */
  requestsYesterday: number;
}

export interface TrafficToday {
  /** midnight UTC: "today" is the UTC day, as quotas and usage periods count it */
  since: Date;
  until: Date;
  today: TrafficFigures;
  /** yesterday from midnight UTC to this time of day */
  sameHoursYesterday: TrafficFigures;
  /** every hour of today so far, hours without requests included */
  hours: TrafficHour[];
}

type Scope = Pick<UsageAnalyticsQuery, "organizationId" | "visibleTo">;

/**
 * Requests and errors today against the same hours yesterday, and today hour by hour, for one
 * organization or the platform; from the usage roll-ups (never usage_event). Yesterday's
 * current hour is read by the minute up to this time of day, so that a part of an hour today
 * is not weighed against a whole hour yesterday.
 */
export async function summarizeTrafficToday(
  deps: { db: Database; clock: Clock },
  scope: Scope,
): Promise<TrafficToday> {
  const now = deps.clock.now();
  const since = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const hourStart = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const minuteStart = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const [today, yesterdayHours, yesterdayMinutes] = await Promise.all([
    hourly(deps, scope, since.getTime(), now.getTime()),
    hourly(deps, scope, since.getTime() - DAY_MS, hourStart - DAY_MS),
    byMinute(deps, scope, hourStart - DAY_MS, minuteStart - DAY_MS),
  ]);
  const hours: TrafficHour[] = [];
  for (let start = since.getTime(); start <= hourStart; start += HOUR_MS) {
    const todays = today.get(start);
    hours.push({
      start: new Date(start),
      requests: todays?.requests ?? 0,
      errors: todays?.errors ?? 0,
      requestsYesterday:
        start === hourStart ? yesterdayMinutes.requests : (yesterdayHours.get(start - DAY_MS)?.requests ?? 0),
    });
  }
  const yesterday = sumOf([...yesterdayHours.values(), yesterdayMinutes]);
  return {
    since,
    until: now,
    today: figures(sumOf([...today.values()])),
    sameHoursYesterday: figures(yesterday),
    hours,
  };
}

interface Counts {
  requests: number;
  errors: number;
}

/** Requests and errors by the start of each hour of [from, to); an empty range reads nothing. */
async function hourly(
  deps: { db: Database; clock: Clock },
  scope: Scope,
  from: number,
  to: number,
): Promise<Map<number, Counts>> {
  const byHour = new Map<number, Counts>();
  if (to <= from) return byHour;
  const analytics = await queryUsageAnalytics(deps, {
    ...scope,
    from: new Date(from),
    to: new Date(to),
    bucket: "hour",
    groupBy: "none",
  });
  for (const point of analytics.points) {
    byHour.set(point.start.getTime(), { requests: point.requests, errors: point.errors });
  }
  return byHour;
}

/** Requests and errors of [from, to) read by the minute (a part of an hour). */
async function byMinute(
  deps: { db: Database; clock: Clock },
  scope: Scope,
  from: number,
  to: number,
): Promise<Counts> {
  if (to <= from) return { requests: 0, errors: 0 };
  const analytics = await queryUsageAnalytics(deps, {
    ...scope,
    from: new Date(from),
    to: new Date(to),
    bucket: "minute",
    groupBy: "none",
  });
  return { requests: analytics.totals.requests, errors: analytics.totals.errors };
}

function sumOf(counts: Counts[]): Counts {
  return counts.reduce(
    (sum, count) => ({ requests: sum.requests + count.requests, errors: sum.errors + count.errors }),
    {
      requests: 0,
      errors: 0,
    },
  );
}

function figures(counts: Counts): TrafficFigures {
  return { ...counts, errorRate: counts.requests === 0 ? null : counts.errors / counts.requests };
}
