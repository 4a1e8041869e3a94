import type { Database, Model } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";

/**
 * Models the organization's tier may call: enabled, allowed for the tier, not yet shut
 * down. Reads the tier per call, so a tier change applies to the next request.
 */
export async function listModelsForOrganization(
  deps: { db: Database; clock: Clock },
  organizationId: string,
): Promise<Model[]> {
  return deps.db.model.findMany({
    where: {
      isEnabled: true,
      OR: [{ shutdownAt: null }, { shutdownAt: { gt: deps.clock.now() } }],
      tiers: { some: { organizations: { some: { id: organizationId } } } },
    },
    orderBy: { id: "asc" },
  });
}

/** One model the organization may call, else not_found (as OpenAI does, hiding its existence). */
export async function findModelForOrganization(
  deps: { db: Database; clock: Clock },
  organizationId: string,
  modelId: string,
): Promise<Model> {
  const model = await deps.db.model.findFirst({
    where: {
      id: modelId,
      isEnabled: true,
      OR: [{ shutdownAt: null }, { shutdownAt: { gt: deps.clock.now() } }],
      tiers: { some: { organizations: { some: { id: organizationId } } } },
    },
  });
  if (!model) {
    throw new DomainError(
      "not_found",
      `The model \`${modelId}\` does not exist or you do not have access to it.`,
      "model",
      "model_not_found",
    );
  }
  return model;
}
