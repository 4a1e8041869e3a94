import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import type { Clock } from "../time/clock.ts";
import { changeModel } from "./model-change.ts";
import { findTiersBySlug } from "./model-tiers.ts";
import type { ModelView } from "./model-view.ts";

/** Which tiers' organizations may call the model: exactly these (slugs), from their next request. */
export async function setModelTiers(
  deps: { db: Database; clock: Clock },
  input: { modelId: string; tiers: string[]; actor: Actor },
): Promise<ModelView> {
  return changeModel(deps, { ...input, action: "model.tiers.set" }, async (tx, model) => {
    const before = await tx.tier.findMany({
      where: { models: { some: { id: model.id } } },
      select: { slug: true },
      orderBy: { slug: "asc" },
    });
    const tiers = await findTiersBySlug(tx, input.tiers);
    await tx.model.update({
      where: { id: model.id },
      data: { tiers: { set: tiers.map((tier) => ({ id: tier.id })) } },
    });
    return { from: before.map((tier) => tier.slug), to: tiers.map((tier) => tier.slug).sort() };
  });
}
