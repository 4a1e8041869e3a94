import type { PiiKind } from "../masking/pii-masking.ts";
import type { OrganizationSnapshot } from "../organizations/organization-snapshot.ts";
import { chatLogExpiry } from "../retention/chat-log-expiry.ts";

/** What may be kept of one request, and how it is masked. */
export interface DataPolicy {
  /** keep an encrypted log of the turn (false: the organization or the request opted out) */
  keepLog: boolean;
  /** mask these kinds before anything is stored */
  maskKinds: readonly PiiKind[];
  /** mask the prompt before it goes to the model too */
  maskUpstream: boolean;
  /** when a log written now expires */
  logExpiresAt: Date;
}

/**
 * The organization's data settings for one request, from its snapshot. `optedOut` is the
 * request's own opt-out header.
 */
export function dataPolicyOf(
  organization: OrganizationSnapshot,
  input: { optedOut: boolean; now: Date },
): DataPolicy {
  return {
    keepLog: !organization.dataCollectionOptOut && !input.optedOut,
    maskKinds: organization.piiMaskKinds,
    maskUpstream: organization.maskPiiUpstream,
    logExpiresAt: chatLogExpiry(
      {
        tierRetentionDays: organization.tier.chatLogRetentionDays,
        organizationRetentionDays: organization.chatLogRetentionDays,
      },
      input.now,
    ),
  };
}
