import type { Principal } from "../credentials/principal.ts";
import type { OrganizationSnapshot } from "../organizations/organization-snapshot.ts";

/** What a caller may spend: its organization's tier and its key's own limits. */
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

/**
 * The limits of an authenticated caller, from its organization's snapshot. Organizations that
 * opted out of data collection are never cached.
 */
export function callerLimitsOf(organization: OrganizationSnapshot, principal: Principal): CallerLimits {
  const apiKeyId = principal.kind === "api_key" ? principal.credentialId : null;
  const key = (apiKeyId && organization.keyLimits.get(apiKeyId)) || null;
  return {
    organizationId: organization.id,
    apiKeyId,
    tier: {
      requestsPerMinute: organization.tier.requestsPerMinute,
      tokensPerMinute: organization.tier.tokensPerMinute,
      monthlyTokenQuota: organization.tier.monthlyTokenQuota,
    },
    key: {
      requestsPerMinute: key?.requestsPerMinute ?? null,
      tokensPerMinute: key?.tokensPerMinute ?? null,
    },
    isResponseCacheAllowed: organization.responseCacheEnabled && !organization.dataCollectionOptOut,
  };
}
