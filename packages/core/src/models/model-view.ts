import type { Model, ModelDeployment, Prisma } from "@dsc/db";
import { type DeploymentSettings, pickDeploymentSettings } from "./deployment-rules.ts";

/** Where a model is in its life, as people read it: served, switched off, announced to end, ended. */
export type ModelStatus = "enabled" | "disabled" | "retiring" | "shut_down";

/** One upstream of a model as people edit it; `apiKeyRef` names a key of UPSTREAM_API_KEYS, never holds one. */
export interface ModelDeploymentView extends DeploymentSettings {
  id: string;
  modelId: string;
  createdAt: Date;
}

export interface ModelView {
  id: string;
  provider: "LOCAL" | "OPENAI_COMPATIBLE";
  ownedBy: string;
  contextWindow: number;
  /** US dollars per million tokens */
  inputPricePerMTokens: number;
  outputPricePerMTokens: number;
  isEnabled: boolean;
  shutdownAt: Date | null;
  status: ModelStatus;
  routingStrategy: "WEIGHTED" | "LEAST_IN_FLIGHT";
  /** this model is another name of that one */
  aliasOf: string | null;
  /** the models that are other names of this one */
  aliases: string[];
  fallbackModelId: string | null;
  replacementModelId: string | null;
  /** slugs of the tiers whose organizations may call it */
  tiers: string[];
  /** lowest priority first, then oldest */
  deployments: ModelDeploymentView[];
  createdAt: Date;
}

export const MODEL_VIEW_INCLUDE = {
  tiers: { select: { slug: true }, orderBy: { slug: "asc" } },
  aliases: { select: { id: true }, orderBy: { id: "asc" } },
  deployments: { orderBy: [{ priority: "asc" }, { createdAt: "asc" }, { id: "asc" }] },
} as const satisfies Prisma.ModelInclude;

type ModelRow = Model & {
  tiers: { slug: string }[];
  aliases: { id: string }[];
  deployments: ModelDeployment[];
};

export function modelStatusAt(model: Pick<Model, "isEnabled" | "shutdownAt">, now: Date): ModelStatus {
  if (model.shutdownAt !== null && model.shutdownAt <= now) return "shut_down";
  if (!model.isEnabled) return "disabled";
  return model.shutdownAt === null ? "enabled" : "retiring";
}

export function toModelView(model: ModelRow, now: Date): ModelView {
  return {
    id: model.id,
    provider: model.provider,
    ownedBy: model.ownedBy,
    contextWindow: model.contextWindow,
    inputPricePerMTokens: model.inputPricePerMTokens.toNumber(),
    outputPricePerMTokens: model.outputPricePerMTokens.toNumber(),
    isEnabled: model.isEnabled,
    shutdownAt: model.shutdownAt,
    status: modelStatusAt(model, now),
    routingStrategy: model.routingStrategy,
    aliasOf: model.aliasOfId,
    aliases: model.aliases.map((alias) => alias.id),
    fallbackModelId: model.fallbackModelId,
    replacementModelId: model.replacementModelId,
    tiers: model.tiers.map((tier) => tier.slug),
    deployments: model.deployments.map(toModelDeploymentView),
    createdAt: model.createdAt,
  };
}

export function toModelDeploymentView(deployment: ModelDeployment): ModelDeploymentView {
  return {
    id: deployment.id,
    modelId: deployment.modelId,
    ...pickDeploymentSettings(deployment),
    createdAt: deployment.createdAt,
  };
}
