import type { Database } from "@dsc/db";
import { TIER_VIEW_INCLUDE, type TierView, toTierView } from "./tier-view.ts";

/** Every tier, cheapest first (by requests per minute), with how many organizations use it. */
export async function listTiers(deps: { db: Database }): Promise<TierView[]> {
  const tiers = await deps.db.tier.findMany({
    include: TIER_VIEW_INCLUDE,
    orderBy: [{ requestsPerMinute: "asc" }, { slug: "asc" }],
  });
  return tiers.map(toTierView);
}
