import type { Organization, Tier } from "@dsc/db";
import { type TierView, toTierView } from "../tiers/tier-view.ts";

/** One organization with its settings and the limits of its tier, for its own page. */
export interface OrganizationDetails {
  id: string;
  name: string;
  tier: TierView;
  dataCollectionOptOut: boolean;
  /** null = the tier's retention */
  chatLogRetentionDays: number | null;
  fileRetentionDays: number | null;
  /** what applies: the shorter of the tier's and the organization's */
  effectiveChatLogRetentionDays: number;
  effectiveFileRetentionDays: number;
  legalHold: boolean;
  memberCount: number;
  createdAt: Date;
}

export function toOrganizationDetails(
  org: Organization & {
    tier: Tier & { _count: { organizations: number } };
    _count: { users: number };
  },
): OrganizationDetails {
  const tier = toTierView(org.tier);
  return {
    id: org.id,
    name: org.name,
    tier,
    dataCollectionOptOut: org.dataCollectionOptOut,
    chatLogRetentionDays: org.chatLogRetentionDays,
    fileRetentionDays: org.fileRetentionDays,
    effectiveChatLogRetentionDays: Math.min(tier.chatLogRetentionDays, org.chatLogRetentionDays ?? Infinity),
    effectiveFileRetentionDays: Math.min(tier.fileRetentionDays, org.fileRetentionDays ?? Infinity),
    legalHold: org.legalHold,
    memberCount: org._count.users,
    createdAt: org.createdAt,
  };
}

export const ORGANIZATION_DETAILS_INCLUDE = {
  tier: { include: { _count: { select: { organizations: true } } } },
  _count: { select: { users: true } },
} as const;
