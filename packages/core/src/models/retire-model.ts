import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { changeModel } from "./model-change.ts";
import type { ModelView } from "./model-view.ts";

/**
 * Announces the model's end: served until `shutdownAt` (listed with `shutdown_date`, answered
 * with a deprecation warning), then 404 `model_not_found` naming the replacement, if any.
 */
export async function retireModel(
  deps: { db: Database; clock: Clock },
  input: { modelId: string; shutdownAt: Date; replacementModelId?: string | null; actor: Actor },
): Promise<ModelView> {
  const replacement = input.replacementModelId?.trim() || null;
  if (Number.isNaN(input.shutdownAt.getTime()) || input.shutdownAt <= deps.clock.now()) {
    throw new DomainError("invalid", "The shutdown date must be in the future.", "shutdownAt");
  }
  return changeModel(deps, { ...input, action: "model.retire" }, async (tx, model) => {
    if (replacement !== null) {
      if (replacement === model.id) {
        throw new DomainError("invalid", "A model cannot replace itself.", "replacementModelId");
      }
      const target = await tx.model.findUnique({ where: { id: replacement }, select: { id: true } });
      if (!target) {
        throw new DomainError(
          "invalid",
          `There is no model \`${replacement.slice(0, 128)}\` to name as the replacement.`,
          "replacementModelId",
        );
      }
    }
    await tx.model.update({
      where: { id: model.id },
      data: {
        shutdownAt: input.shutdownAt,
        replacementModelId: replacement,
        // announced once: moving the shutdown date later does not make it newly deprecated
        retiredAt: model.retiredAt ?? deps.clock.now(),
      },
    });
    return {
      from: {
        shutdownAt: model.shutdownAt?.toISOString() ?? null,
        replacementModelId: model.replacementModelId,
      },
      to: { shutdownAt: input.shutdownAt.toISOString(), replacementModelId: replacement },
    };
  });
}

/** Takes a retirement back: no shutdown date, no replacement; a model already shut down is served again. */
export async function unretireModel(
  deps: { db: Database; clock: Clock },
  input: { modelId: string; actor: Actor },
): Promise<ModelView> {
  return changeModel(deps, { ...input, action: "model.unretire" }, async (tx, model) => {
    await tx.model.update({
      where: { id: model.id },
      data: { shutdownAt: null, replacementModelId: null, retiredAt: null },
    });
    return {
      from: {
        shutdownAt: model.shutdownAt?.toISOString() ?? null,
        replacementModelId: model.replacementModelId,
      },
    };
  });
}
