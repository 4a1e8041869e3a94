import type { Organization, Tier } from "@dsc/db";

export interface OrganizationView {
  id: string;
  name: string;
  tier: string;
  dataCollectionOptOut: boolean;
  createdAt: Date;
}

export function toOrganizationView(org: Organization & { tier: Pick<Tier, "slug"> }): OrganizationView {
  return {
    id: org.id,
    name: org.name,
    tier: org.tier.slug,
    dataCollectionOptOut: org.dataCollectionOptOut,
    createdAt: org.createdAt,
  };
}
