import { type Database, sqlPoolOf } from "@dsc/db";
import { QUOTA_THRESHOLDS_PERCENT } from "@dsc/vocabulary";
import type { Clock } from "../time/clock.ts";
import { usagePeriod } from "../usage/monthly-token-usage.ts";
import { enqueueWebhookEvent } from "./enqueue-webhook-event.ts";

/** The once-key of a threshold: one event per organization, month and threshold. */
export const quotaThresholdKey = (organizationId: string, month: string, percent: number) =>
  `quota.threshold_reached:${organizationId}:${month}:${percent}`;

const MAX_EVENTS_PER_RUN = 1_000;

/**
 * Sends `quota.threshold_reached` for every organization whose tokens this month (from the
 * month roll-up, which the usage writer keeps with its events) reached 80 % or 100 % of its
 * tier's monthly quota, once per organization, month and threshold. Runs in the worker, never
 * on a request's path; the query skips thresholds already announced.
 */
export async function notifyQuotaThresholds(deps: {
  db: Database;
  clock: Clock;
}): Promise<{ events: number }> {
  const period = usagePeriod(deps.clock.now());
  const { rows } = await sqlPoolOf(deps.db).query<{
    organization_id: string;
    percent: number;
    tokens: string;
    quota: string;
  }>(
    `WITH used AS (
       SELECT organization_id, sum(tokens) AS tokens
         FROM usage_rollup_month
        WHERE month_start = $1::timestamp(3)
        GROUP BY organization_id)
     SELECT used.organization_id, threshold.percent, used.tokens::text AS tokens,
            t.monthly_token_quota::text AS quota
       FROM used
       JOIN organization o ON o.id = used.organization_id
       JOIN tier t ON t.id = o.tier_id
       CROSS JOIN unnest($2::int[]) AS threshold(percent)
      WHERE t.monthly_token_quota > 0
        AND used.tokens * 100 >= t.monthly_token_quota * threshold.percent
        AND NOT EXISTS (
          SELECT 1 FROM webhook_event_once e
           WHERE e.key = 'quota.threshold_reached:' || used.organization_id || ':' || $3 || ':' || threshold.percent)
      ORDER BY used.organization_id, threshold.percent
      LIMIT $4`,
    [period.start.toISOString(), [...QUOTA_THRESHOLDS_PERCENT], period.id, MAX_EVENTS_PER_RUN],
  );
  let events = 0;
  for (const row of rows) {
    const percent = row.percent as (typeof QUOTA_THRESHOLDS_PERCENT)[number];
    const sent = await enqueueWebhookEvent(deps, {
      type: "quota.threshold_reached",
      organizationId: row.organization_id,
      onceKey: quotaThresholdKey(row.organization_id, period.id, percent),
      data: {
        organization_id: row.organization_id,
        threshold_percent: percent,
        month: period.id,
        tokens_used: Number(row.tokens),
        monthly_token_quota: Number(row.quota),
      },
    });
    if (sent.eventId) events += 1;
  }
  return { events };
}
