import type { Model } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import type { OrganizationSnapshot } from "../organizations/organization-snapshot.ts";

/** Models the organization's tier may call now: enabled, allowed for the tier, not yet shut down. */
export function modelsAvailableTo(organization: OrganizationSnapshot, now: Date): Model[] {
  return organization.models.filter((model) => isServedAt(model, now));
}

/** One model the organization may call now, else not_found (as OpenAI does, hiding its existence). */
export function modelAvailableTo(organization: OrganizationSnapshot, modelId: string, now: Date): Model {
  const model = organization.models.find((candidate) => candidate.id === modelId);
  if (!model || !isServedAt(model, now)) {
    throw new DomainError(
      "not_found",
      `The model \`${modelId}\` does not exist or you do not have access to it.`,
      "model",
      "model_not_found",
    );
  }
  return model;
}

function isServedAt(model: Model, now: Date): boolean {
  return model.shutdownAt === null || model.shutdownAt > now;
}
