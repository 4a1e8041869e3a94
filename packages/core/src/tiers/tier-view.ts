import type { Tier } from "@dsc/db";
import type { TierLimits } from "./tier-limits.ts";

/** A plan's limits as people edit them. Byte and token counts fit in a double (< 2^53). */
export interface TierView extends TierLimits {
  id: string;
  slug: string;
  isCustom: boolean;
  organizationCount: number;
  updatedAt: Date;
}

export function toTierView(tier: Tier & { _count: { organizations: number } }): TierView {
  return {
    id: tier.id,
    slug: tier.slug,
    name: tier.name,
    requestsPerMinute: tier.requestsPerMinute,
    tokensPerMinute: tier.tokensPerMinute,
    monthlyTokenQuota: tier.monthlyTokenQuota === null ? null : Number(tier.monthlyTokenQuota),
    maxFileBytes: Number(tier.maxFileBytes),
    maxStorageBytes: tier.maxStorageBytes === null ? null : Number(tier.maxStorageBytes),
    chatLogRetentionDays: tier.chatLogRetentionDays,
    fileRetentionDays: tier.fileRetentionDays,
    isCustom: tier.isCustom,
    organizationCount: tier._count.organizations,
    updatedAt: tier.updatedAt,
  };
}

export const TIER_VIEW_INCLUDE = { _count: { select: { organizations: true } } } as const;
