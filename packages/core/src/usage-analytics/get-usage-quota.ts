import { type Database, sqlPoolOf } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { usagePeriod } from "../usage/monthly-token-usage.ts";
import { floorTo } from "./query-usage-analytics.ts";

/** The most keys a quota view lists, most used first. */
export const QUOTA_KEYS_LISTED = 100;

export interface UsageQuota {
  organizationId: string;
  tier: {
    id: string;
    name: string;
    monthlyTokenQuota: number | null;
    requestsPerMinute: number;
    tokensPerMinute: number | null;
  };
  organization: { tokensThisMonth: number; requestsThisMinute: number };
  keys: Array<{ id: string; name: string; tokensThisMonth: number; requestsThisMinute: number }>;
}

/**
 * An organization's use against its tier: tokens this month (the calendar month in UTC, as the
 * monthly quota counts them) and requests this minute, for the organization and for each of its
 * active API keys (the QUOTA_KEYS_LISTED most used), from the month and minute roll-ups.
 */
export async function getUsageQuota(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string; visibleTo: string | null },
): Promise<UsageQuota> {
  const now = deps.clock.now();
  const organization = await deps.db.organization.findFirst({
    where: {
      id: input.organizationId,
      ...(input.visibleTo !== null ? { AND: [{ id: input.visibleTo }] } : {}),
    },
    select: { id: true, tier: true },
  });
  if (!organization) {
    throw new DomainError(
      "not_found",
      `organization ${input.organizationId} does not exist`,
      "organizationId",
    );
  }
  const month = usagePeriod(now).start.toISOString();
  const minute = floorTo("minute", now).toISOString();
  const pool = sqlPoolOf(deps.db);
  const params = [organization.id, month, minute];
  const [totals] = (
    await pool.query(
      `SELECT coalesce(sum(prompt_tokens + completion_tokens) FILTER (WHERE grain = 'month'), 0)::float8 AS tokens,
              coalesce(sum(requests) FILTER (WHERE grain = 'minute'), 0)::float8 AS requests
         FROM usage_rollup_organization
        WHERE organization_id = $1
          AND ((grain = 'month' AND bucket_start = $2::timestamp(3))
            OR (grain = 'minute' AND bucket_start = $3::timestamp(3)))`,
      params,
    )
  ).rows;
  const keys = (
    await pool.query(
      `WITH used AS (
         SELECT credential_id,
                sum(prompt_tokens + completion_tokens) FILTER (WHERE grain = 'month') AS tokens,
                sum(requests) FILTER (WHERE grain = 'minute') AS requests
           FROM usage_rollup_credential
          WHERE organization_id = $1
            AND ((grain = 'month' AND bucket_start = $2::timestamp(3))
              OR (grain = 'minute' AND bucket_start = $3::timestamp(3)))
          GROUP BY credential_id)
       SELECT key.id, key.name, coalesce(used.tokens, 0)::float8 AS tokens,
              coalesce(used.requests, 0)::float8 AS requests
         FROM api_key key LEFT JOIN used ON used.credential_id = key.id
        WHERE key.organization_id = $1 AND key.revoked_at IS NULL
          AND (key.expires_at IS NULL OR key.expires_at > $4::timestamp(3))
        ORDER BY tokens DESC, requests DESC, key.created_at DESC, key.id
        LIMIT $5`,
      [...params, now.toISOString(), QUOTA_KEYS_LISTED],
    )
  ).rows;
  const tier = organization.tier;
  return {
    organizationId: organization.id,
    tier: {
      id: tier.id,
      name: tier.name,
      monthlyTokenQuota: tier.monthlyTokenQuota === null ? null : Number(tier.monthlyTokenQuota),
      requestsPerMinute: tier.requestsPerMinute,
      tokensPerMinute: tier.tokensPerMinute,
    },
    organization: {
      tokensThisMonth: Number(totals?.tokens ?? 0),
      requestsThisMinute: Number(totals?.requests ?? 0),
    },
    keys: keys.map((key) => ({
      id: String(key.id),
      name: String(key.name),
      tokensThisMonth: Number(key.tokens),
      requestsThisMinute: Number(key.requests),
    })),
  };
}
