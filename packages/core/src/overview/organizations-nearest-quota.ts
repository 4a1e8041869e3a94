import { type Database, sqlPoolOf } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { usagePeriod } from "../usage/monthly-token-usage.ts";

/** How many organizations the platform's overview lists nearest their monthly quota. */
export const NEAREST_QUOTA_LISTED = 5;

export interface OrganizationQuotaUse {
  organizationId: string;
  name: string;
  tierName: string;
  /** prompt and completion tokens this calendar month (UTC), as the quota counts them */
  tokensThisMonth: number;
  /** null: the tier has no monthly quota */
  monthlyTokenQuota: number | null;
  /** tokensThisMonth / monthlyTokenQuota; null without a quota */
  share: number | null;
}

/**
 * Tokens this month against the tier's monthly quota, from the month roll-up: one
 * organization's (listed even when it has used nothing or has no quota), or, for the platform,
 * the NEAREST_QUOTA_LISTED organizations with a quota that have used the largest share of it.
 * The platform's list reads one month's rows of the month roll-up (its primary key starts with
 * the month), one per organization and credential.
 */
export async function findOrganizationsNearestQuota(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string | null },
): Promise<OrganizationQuotaUse[]> {
  const month = usagePeriod(deps.clock.now()).start.toISOString();
  const pool = sqlPoolOf(deps.db);
  const rows =
    input.organizationId === null
      ? (
          await pool.query(
            `WITH used AS (
               SELECT organization_id, sum(tokens) AS tokens
                 FROM usage_rollup_month
                WHERE month_start = $1::timestamp(3)
                GROUP BY organization_id)
             SELECT o.id, o.name, t.name AS tier_name, used.tokens::float8 AS tokens,
                    t.monthly_token_quota::float8 AS quota
               FROM used
               JOIN organization o ON o.id = used.organization_id
               JOIN tier t ON t.id = o.tier_id
              WHERE t.monthly_token_quota > 0 AND used.tokens > 0
              ORDER BY used.tokens::float8 / t.monthly_token_quota::float8 DESC, o.id
              LIMIT $2`,
            [month, NEAREST_QUOTA_LISTED],
          )
        ).rows
      : (
          await pool.query(
            `SELECT o.id, o.name, t.name AS tier_name, t.monthly_token_quota::float8 AS quota,
                    coalesce((SELECT sum(tokens)
                                FROM usage_rollup_month
                               WHERE organization_id = o.id AND month_start = $1::timestamp(3)), 0)::float8 AS tokens
               FROM organization o JOIN tier t ON t.id = o.tier_id
              WHERE o.id = $2`,
            [month, input.organizationId],
          )
        ).rows;
  return rows.map((row) => {
    const quota = row.quota === null ? null : Number(row.quota);
    const tokens = Number(row.tokens);
    return {
      organizationId: String(row.id),
      name: String(row.name),
      tierName: String(row.tier_name),
      tokensThisMonth: tokens,
      monthlyTokenQuota: quota,
      share: quota === null || quota === 0 ? null : tokens / quota,
    };
  });
}
