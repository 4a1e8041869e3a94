import { DomainError } from "../errors/domain-error.ts";
import type { OrganizationSnapshot } from "../organizations/organization-snapshot.ts";
import type { DeployedModel, ServedModel } from "../organizations/served-model.ts";

/** A retirement announced and not yet passed: what a response says of it (Deprecation, Sunset, Link). */
export interface ModelRetirement {
  shutdownAt: Date;
  /** when the retirement was announced; null for a row retired without it (plain SQL) */
  retiredAt: Date | null;
  replacementModelId: string | null;
}

/** What serves a request for one model id. */
export interface ModelChoice {
  /** the model as the request named it (an alias, or the model itself) */
  requested: ServedModel;
  /** the model that answers and is billed: the alias's target, or the model itself */
  target: DeployedModel;
  /** the model that answers when every deployment of the target is unavailable, if the tier may use it */
  fallback: DeployedModel | null;
  /** the announced shutdown of the requested model (else of its target), while still served */
  retirement: ModelRetirement | null;
}

/** Models the organization's tier may call now: enabled, allowed for the tier, not yet shut down (aliases too). */
export function modelsAvailableTo(organization: OrganizationSnapshot, now: Date): ServedModel[] {
  return organization.models.filter((model) => isServedAt(model, now) && targetOf(model, now) !== null);
}

/** One model the organization may call now, else not_found (as OpenAI does, hiding its existence). */
export function modelAvailableTo(
  organization: OrganizationSnapshot,
  modelId: string,
  now: Date,
): ServedModel {
  return chooseModel(organization, modelId, now).requested;
}

/**
 * What answers a request for `modelId`: not_found unless the tier may use it (or, for an alias,
 * its target); a model past its shutdown date is not_found with the replacement named.
 */
export function chooseModel(organization: OrganizationSnapshot, modelId: string, now: Date): ModelChoice {
  const requested = organization.models.find((candidate) => candidate.id === modelId);
  if (!requested) throw modelNotFound(modelId);
  if (!isServedAt(requested, now)) throw modelShutDown(requested);
  const target = targetOf(requested, now);
  if (target === null) {
    // the alias points at a retired model: its replacement is the useful answer
    if (requested.aliasOf && !isServedAt(requested.aliasOf, now))
      throw modelShutDown(requested.aliasOf, modelId);
    throw modelNotFound(modelId);
  }
  return {
    requested,
    target,
    fallback: fallbackOf(organization, target, now),
    retirement: retirementOf(requested) ?? (target === requested ? null : retirementOf(target)),
  };
}

/** The target an alias stands for (the model itself when it is none), if it is served now. */
function targetOf(model: ServedModel, now: Date): DeployedModel | null {
  if (model.aliasOfId === null) return model;
  const target = model.aliasOf;
  if (!target?.isEnabled || target.aliasOfId !== null || !isServedAt(target, now)) return null;
  return target;
}

/** One hop only: the fallback's own fallback is never used, so no chain or cycle can form. */
function fallbackOf(
  organization: OrganizationSnapshot,
  target: DeployedModel,
  now: Date,
): DeployedModel | null {
  if (target.fallbackModelId === null) return null;
  const fallback = organization.models.find((candidate) => candidate.id === target.fallbackModelId);
  if (!fallback || !isServedAt(fallback, now)) return null;
  const served = targetOf(fallback, now);
  return served === null || served.id === target.id ? null : served;
}

function retirementOf(model: DeployedModel): ModelRetirement | null {
  return model.shutdownAt === null
    ? null
    : {
        shutdownAt: model.shutdownAt,
        retiredAt: model.retiredAt,
        replacementModelId: model.replacementModelId,
      };
}

function isServedAt(model: DeployedModel, now: Date): boolean {
  return model.shutdownAt === null || model.shutdownAt > now;
}

function modelNotFound(modelId: string): DomainError {
  return new DomainError(
    "not_found",
    `The model \`${modelId}\` does not exist or you do not have access to it.`,
    "model",
    "model_not_found",
  );
}

function modelShutDown(model: DeployedModel, requestedId = model.id): DomainError {
  const day = model.shutdownAt?.toISOString().slice(0, 10);
  const instead = model.replacementModelId ? ` Use \`${model.replacementModelId}\` instead.` : "";
  const what =
    requestedId === model.id ? `The model \`${model.id}\`` : `The model \`${requestedId}\` (\`${model.id}\`)`;
  return new DomainError(
    "not_found",
    `${what} was shut down on ${day}.${instead}`,
    "model",
    "model_not_found",
  );
}
