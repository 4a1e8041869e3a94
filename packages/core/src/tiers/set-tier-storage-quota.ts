import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import type { TierView } from "./tier-view.ts";
import { updateTier } from "./update-tier.ts";

/**
 * Sets what an organization's live files may take together on the tier named by its slug (as
 * `dsc-admin` names tiers); null makes it unlimited. Audited as any tier change.
 */
export async function setTierStorageQuota(
  deps: { db: Database; clock: Clock },
  input: { tier: string; maxStorageBytes: number | null; actor: Actor },
): Promise<TierView> {
  const slug = input.tier.trim().toLowerCase();
  const tier = await deps.db.tier.findUnique({ where: { slug }, select: { id: true } });
  if (!tier) throw new DomainError("not_found", `tier "${slug.slice(0, 40)}" does not exist`, "tier");
  return updateTier(deps, { tierId: tier.id, maxStorageBytes: input.maxStorageBytes, actor: input.actor });
}
