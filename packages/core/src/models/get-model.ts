import type { Database, Prisma } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { MODEL_VIEW_INCLUDE, type ModelView, toModelView } from "./model-view.ts";

export async function getModel(
  deps: { db: Database; clock: Clock },
  input: { modelId: string },
): Promise<ModelView> {
  return readModelView(deps.db, deps.clock, input.modelId);
}

/** One model as people see it, read inside the caller's transaction when given one. */
export async function readModelView(
  db: Database | Prisma.TransactionClient,
  clock: Clock,
  modelId: string,
): Promise<ModelView> {
  const model = await db.model.findUnique({ where: { id: modelId }, include: MODEL_VIEW_INCLUDE });
  if (!model) throw modelNotFound(modelId);
  return toModelView(model, clock.now());
}

export function modelNotFound(modelId: string, param = "modelId"): DomainError {
  return new DomainError("not_found", `There is no model \`${modelId.slice(0, 128)}\`.`, param);
}
