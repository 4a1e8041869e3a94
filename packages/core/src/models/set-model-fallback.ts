import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { changeModel } from "./model-change.ts";
import { assertNoLoop, readCatalogueGraph } from "./model-graph.ts";
import type { ModelView } from "./model-view.ts";

/**
 * Names the model that answers when every deployment of this one is unavailable, or none
 * (null). It must exist, differ from the model, and close no loop of aliases and fallbacks.
 */
export async function setModelFallback(
  deps: { db: Database; clock: Clock },
  input: { modelId: string; fallbackModelId: string | null; actor: Actor },
): Promise<ModelView> {
  const fallback = input.fallbackModelId?.trim() || null;
  return changeModel(deps, { ...input, action: "model.fallback.set" }, async (tx, model) => {
    if (fallback !== null) {
      if (fallback === model.id) {
        throw new DomainError("invalid", "A model cannot be its own fallback.", "fallbackModelId");
      }
      const graph = await readCatalogueGraph(tx);
      if (!graph.has(fallback)) {
        throw new DomainError(
          "invalid",
          `There is no model \`${fallback.slice(0, 128)}\`.`,
          "fallbackModelId",
        );
      }
      graph.set(model.id, { aliasOfId: model.aliasOfId, fallbackModelId: fallback });
      assertNoLoop(graph, "fallbackModelId");
    }
    if (model.fallbackModelId !== fallback) {
      await tx.model.update({ where: { id: model.id }, data: { fallbackModelId: fallback } });
    }
    return { from: model.fallbackModelId, to: fallback };
  });
}
