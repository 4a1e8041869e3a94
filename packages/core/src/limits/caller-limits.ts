import type { Database } from "@dsc/db";
import type { Principal } from "../auth/principal.ts";

/** What a caller may spend, read fresh for every request so that a tier change applies at once. */
export interface CallerLimits {
  organizationId: string;
  /** the API key whose own limits apply too; null for other credentials */
  apiKeyId: string | null;
  tier: { requestsPerMinute: number; tokensPerMinute: number | null; monthlyTokenQuota: number | null };
  /** a key's own limits; they only ever tighten the tier's */
  key: { requestsPerMinute: number | null; tokensPerMinute: number | null };
  /** the organization lets identical requests be answered from the response cache */
  isResponseCacheAllowed: boolean;
}

interface Row {
  requests_per_minute: number;
  tokens_per_minute: number | null;
  monthly_token_quota: bigint | number | null;
  response_cache_enabled: boolean;
  data_collection_opt_out: boolean;
  key_requests_per_minute: number | null;
  key_tokens_per_minute: number | null;
}

/**
 * The limits of an authenticated caller: its organization's tier, its key's own limits and
 * the organization's cache settings, in one query (it runs on every request). Null when the
 * organization is gone. Organizations that opted out of data collection are never cached.
 */
export async function loadCallerLimits(db: Database, principal: Principal): Promise<CallerLimits | null> {
  const apiKeyId = principal.kind === "api_key" ? principal.credentialId : null;
  const rows = await db.$queryRaw<Row[]>`
    SELECT t.requests_per_minute, t.tokens_per_minute, t.monthly_token_quota,
           o.response_cache_enabled, o.data_collection_opt_out,
           k.requests_per_minute AS key_requests_per_minute, k.tokens_per_minute AS key_tokens_per_minute
    FROM organization o
    JOIN tier t ON t.id = o.tier_id
    LEFT JOIN api_key k ON k.id = ${apiKeyId ?? ""} AND k.organization_id = o.id
    WHERE o.id = ${principal.organizationId}`;
  const row = rows[0];
  if (!row) return null;
  return {
    organizationId: principal.organizationId,
    apiKeyId,
    tier: {
      requestsPerMinute: row.requests_per_minute,
      tokensPerMinute: row.tokens_per_minute,
      monthlyTokenQuota: row.monthly_token_quota === null ? null : Number(row.monthly_token_quota),
    },
    key: {
      requestsPerMinute: row.key_requests_per_minute,
      tokensPerMinute: row.key_tokens_per_minute,
    },
    isResponseCacheAllowed: row.response_cache_enabled && !row.data_collection_opt_out,
  };
}
