import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import type { Clock } from "../time/clock.ts";
import { changeModel } from "./model-change.ts";
import type { ModelView } from "./model-view.ts";

/**
 * Switches a model on or off. A disabled model is unknown to clients (404 `model_not_found`,
 * absent from /v1/models) on every gateway as soon as the change's notification arrives.
 */
export async function setModelEnabled(
  deps: { db: Database; clock: Clock },
  input: { modelId: string; isEnabled: boolean; actor: Actor },
): Promise<ModelView> {
  return changeModel(
    deps,
    { ...input, action: input.isEnabled ? "model.enable" : "model.disable" },
    async (tx, model) => {
      if (model.isEnabled !== input.isEnabled) {
        await tx.model.update({ where: { id: model.id }, data: { isEnabled: input.isEnabled } });
      }
      return { from: model.isEnabled, to: input.isEnabled };
    },
  );
}
