import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import type { Clock } from "../time/clock.ts";
import { changeModel } from "./model-change.ts";
import { assertValidContextWindow, assertValidOwner, assertValidPrice } from "./model-rules.ts";
import type { ModelView } from "./model-view.ts";

export interface ModelSettings {
  ownedBy: string;
  contextWindow: number;
  inputPricePerMTokens: number;
  outputPricePerMTokens: number;
  routingStrategy: "WEIGHTED" | "LEAST_IN_FLIGHT";
}

/**
 * Changes a model's prices, context window, owner or routing. Prices apply to usage recorded
 * from the next request on (roll-ups keep the price of their moment); the audit record keeps
 * the values before and after.
 */
export async function updateModel(
  deps: { db: Database; clock: Clock },
  input: Partial<ModelSettings> & { modelId: string; actor: Actor },
): Promise<ModelView> {
  const ownedBy = input.ownedBy === undefined ? undefined : assertValidOwner(input.ownedBy);
  if (input.contextWindow !== undefined) assertValidContextWindow(input.contextWindow);
  if (input.inputPricePerMTokens !== undefined) {
    assertValidPrice(input.inputPricePerMTokens, "inputPricePerMTokens");
  }
  if (input.outputPricePerMTokens !== undefined) {
    assertValidPrice(input.outputPricePerMTokens, "outputPricePerMTokens");
  }
  return changeModel(deps, { ...input, action: "model.update" }, async (tx, model) => {
    const from: ModelSettings = {
      ownedBy: model.ownedBy,
      contextWindow: model.contextWindow,
      inputPricePerMTokens: model.inputPricePerMTokens.toNumber(),
      outputPricePerMTokens: model.outputPricePerMTokens.toNumber(),
      routingStrategy: model.routingStrategy,
    };
    const to: ModelSettings = {
      ownedBy: ownedBy ?? from.ownedBy,
      contextWindow: input.contextWindow ?? from.contextWindow,
      inputPricePerMTokens: input.inputPricePerMTokens ?? from.inputPricePerMTokens,
      outputPricePerMTokens: input.outputPricePerMTokens ?? from.outputPricePerMTokens,
      routingStrategy: input.routingStrategy ?? from.routingStrategy,
    };
    const changed = (Object.keys(to) as (keyof ModelSettings)[]).filter((field) => from[field] !== to[field]);
    if (changed.length > 0) await tx.model.update({ where: { id: model.id }, data: to });
    return {
      from: Object.fromEntries(changed.map((field) => [field, from[field]])),
      to: Object.fromEntries(changed.map((field) => [field, to[field]])),
    };
  });
}
