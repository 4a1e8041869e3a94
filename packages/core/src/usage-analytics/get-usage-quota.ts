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
 * active API keys (the QUOTA_KEYS_LISTED most used), from usage_rollup_month and the credential
 * roll-up's current minute: a few rows per credential of the organization.
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
  const used = (
    await pool.query(
      `WITH month AS (
         SELECT credential_id, tokens FROM usage_rollup_month
          WHERE organization_id = $1 AND month_start = $2::timestamp(3)),
       minute AS (
         SELECT credential_id, sum(requests) AS requests FROM usage_rollup_credential
          WHERE grain = 'minute' AND organization_id = $1 AND bucket_start = $3::timestamp(3)
          GROUP BY credential_id)
       SELECT coalesce(month.credential_id, minute.credential_id) AS credential_id,
              coalesce(month.tokens, 0)::float8 AS tokens, coalesce(minute.requests, 0)::float8 AS requests
         FROM month FULL JOIN minute ON minute.credential_id = month.credential_id`,
      params,
    )
  ).rows;
  const totals = { tokens: 0, requests: 0 };
  for (const row of used) {
    totals.tokens += Number(row.tokens);
    totals.requests += Number(row.requests);
  }
  const keys = (
    await pool.query(
      `WITH used AS (SELECT * FROM unnest($2::text[], $3::float8[], $4::float8[]) AS u(credential_id, tokens, requests))
       SELECT key.id, key.name, coalesce(used.tokens, 0) AS tokens, coalesce(used.requests, 0) AS requests
         FROM api_key key LEFT JOIN used ON used.credential_id = key.id
        WHERE key.organization_id = $1 AND key.revoked_at IS NULL
          AND (key.expires_at IS NULL OR key.expires_at > $5::timestamp(3))
        ORDER BY tokens DESC, requests DESC, key.created_at DESC, key.id
        LIMIT $6`,
      [
        organization.id,
        used.map((row) => row.credential_id),
        used.map((row) => Number(row.tokens)),
        used.map((row) => Number(row.requests)),
        now.toISOString(),
        QUOTA_KEYS_LISTED,
      ],
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
