import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { MODEL_VIEW_INCLUDE, type ModelView, toModelView } from "./model-view.ts";

/** Every model of the catalogue, by id, with its tiers, aliases and deployments. */
export async function listModels(deps: { db: Database; clock: Clock }): Promise<ModelView[]> {
  const models = await deps.db.model.findMany({ include: MODEL_VIEW_INCLUDE, orderBy: { id: "asc" } });
  const now = deps.clock.now();
  return models.map((model) => toModelView(model, now));
}
