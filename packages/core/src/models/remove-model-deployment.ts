import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import type { Clock } from "../time/clock.ts";
import { deploymentSettingsOf } from "./add-model-deployment.ts";
import { changeModel } from "./model-change.ts";
import type { ModelView } from "./model-view.ts";
import { findDeployment } from "./update-model-deployment.ts";

/**
 * Removes one deployment of the model. Requests in flight to it finish; new ones go to the
 * others. A model left without deployments is served as one that never had any.
 */
export async function removeModelDeployment(
  deps: { db: Database; clock: Clock },
  input: { modelId: string; deploymentId: string; actor: Actor },
): Promise<ModelView> {
  return changeModel(deps, { ...input, action: "model.deployment.remove" }, async (tx, model) => {
    const deployment = await findDeployment(tx, model.id, input.deploymentId);
    await tx.modelDeployment.delete({ where: { id: deployment.id } });
    return { deploymentId: deployment.id, from: deploymentSettingsOf(deployment) };
  });
}
