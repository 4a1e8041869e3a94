import type { Database, Model, Prisma } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { Clock } from "../time/clock.ts";
import { modelNotFound, readModelView } from "./get-model.ts";
import type { ModelView } from "./model-view.ts";

export interface ModelChange {
  modelId: string;
  actor: Actor;
  /** the audit action, e.g. `model.disable` */
  action: string;
}

/**
 * Runs one audited change of a model in a transaction: the change and its AuditEvent land
 * together. Changes of the catalogue take one lock in turn, so that two admins cannot make a
 * loop of aliases and fallbacks between them, each change valid alone. Gateways hear of the
 * commit through the `model` and `model_deployment` triggers (NOTIFY), not from here, so a
 * change made in SQL reaches them the same way.
 */
export async function changeModel(
  deps: { db: Database; clock: Clock },
  change: ModelChange,
  apply: (tx: Prisma.TransactionClient, model: Model) => Promise<Prisma.InputJsonValue>,
): Promise<ModelView> {
  return deps.db.$transaction(async (tx) => {
    await lockCatalogue(tx);
    const model = await tx.model.findUnique({ where: { id: change.modelId } });
    if (!model) throw modelNotFound(change.modelId);
    const metadata = await apply(tx, model);
    await recordAuditEvent(tx, deps.clock, {
      actor: change.actor,
      action: change.action,
      target: { type: "model", id: model.id },
      metadata,
    });
    return readModelView(tx, deps.clock, model.id);
  });
}

/** One transaction at a time changes the catalogue (rare, by people; the hot path never waits on it). */
export async function lockCatalogue(tx: Prisma.TransactionClient): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('dsc_model_catalogue'))`;
}
