import type { Database } from "@dsc/db";

export interface UsagePeriod {
  id: string;
  start: Date;
  end: Date;
}

// every request asks for its month; nearly all ask for the same one
let lastPeriod: UsagePeriod | null = null;

/** The calendar month (UTC) a moment falls in, as "2026-01", and its bounds. */
export function usagePeriod(at: Date): UsagePeriod {
  const time = at.getTime();
  if (lastPeriod && time >= lastPeriod.start.getTime() && time < lastPeriod.end.getTime()) return lastPeriod;
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  lastPeriod = { id: start.toISOString().slice(0, 7), start, end };
  return lastPeriod;
}

/**
 * Tokens (prompt + completion) an organization used in the month of `at`, from its
 * UsageEvents. Cache hits are recorded with zero tokens, so they count for nothing. One
 * aggregate over the (organization, created) index; the limiter keeps the running total and
 * calls this only to seed it.
 */
export async function sumMonthlyTokens(
  db: Database,
  input: { organizationId: string; at: Date },
): Promise<number> {
  const period = usagePeriod(input.at);
  const result = await db.usageEvent.aggregate({
    where: { organizationId: input.organizationId, createdAt: { gte: period.start, lt: period.end } },
    _sum: { promptTokens: true, completionTokens: true },
  });
  return (result._sum.promptTokens ?? 0) + (result._sum.completionTokens ?? 0);
}
