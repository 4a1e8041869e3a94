import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { changeModel } from "./model-change.ts";
import { assertNoLoop, readCatalogueGraph } from "./model-graph.ts";
import type { ModelView } from "./model-view.ts";

/**
 * Makes the model another name of `aliasOf` (its requests are served and billed as the target),
 * or, with null, a model of its own again. One level only: the target may not be an alias, and
 * a model that others are aliases of may not become one.
 */
export async function setModelAlias(
  deps: { db: Database; clock: Clock },
  input: { modelId: string; aliasOf: string | null; actor: Actor },
): Promise<ModelView> {
  const aliasOf = input.aliasOf?.trim() || null;
  return changeModel(deps, { ...input, action: "model.alias.set" }, async (tx, model) => {
    if (aliasOf !== null) {
      if (aliasOf === model.id) {
        throw new DomainError("invalid", "A model cannot be an alias of itself.", "aliasOf");
      }
      const graph = await readCatalogueGraph(tx);
      const target = graph.get(aliasOf);
      if (!target)
        throw new DomainError("invalid", `There is no model \`${aliasOf.slice(0, 128)}\`.`, "aliasOf");
      if (target.aliasOfId !== null) {
        throw new DomainError(
          "invalid",
          `\`${aliasOf}\` is itself an alias of \`${target.aliasOfId}\`: name \`${target.aliasOfId}\` instead.`,
          "aliasOf",
        );
      }
      const aliases = [...graph].filter(([, links]) => links.aliasOfId === model.id).map(([id]) => id);
      if (aliases.length > 0) {
        throw new DomainError(
          "invalid",
          `\`${model.id}\` has aliases (${aliases.slice(0, 5).join(", ")}): an alias cannot have aliases of its own.`,
          "aliasOf",
        );
      }
      graph.set(model.id, { aliasOfId: aliasOf, fallbackModelId: model.fallbackModelId });
      assertNoLoop(graph, "aliasOf");
    }
    if (model.aliasOfId !== aliasOf) {
      await tx.model.update({ where: { id: model.id }, data: { aliasOfId: aliasOf } });
    }
    return { from: model.aliasOfId, to: aliasOf };
  });
}
