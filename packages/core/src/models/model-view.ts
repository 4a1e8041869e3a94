import type { Model, ModelDeployment, Prisma } from "@dsc/db";

/** Where a model is in its life, as people read it: served, switched off, announced to end, ended. */
export type ModelStatus = "enabled" | "disabled" | "retiring" | "shut_down";

/** One upstream of a model as people edit it; `apiKeyRef` names a key of UPSTREAM_API_KEYS, never holds one. */
export interface ModelDeploymentView {
  id: string;
  modelId: string;
  /** null = the gateway's UPSTREAM_BASE_URL, or the built-in model when that is not set */
  upstreamBaseUrl: string | null;
  /** null = UPSTREAM_MODEL, else the model's id */
  upstreamModel: string | null;
  apiKeyRef: string | null;
  weight: number;
  priority: number;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  connectTimeoutMs: number | null;
  firstByteTimeoutMs: number | null;
  totalTimeoutMs: number | null;
  /** null = no active health checks */
  healthCheckIntervalMs: number | null;
  isEnabled: boolean;
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
    upstreamBaseUrl: deployment.upstreamBaseUrl,
    upstreamModel: deployment.upstreamModel,
    apiKeyRef: deployment.apiKeyRef,
    weight: deployment.weight,
    priority: deployment.priority,
    requestsPerMinute: deployment.requestsPerMinute,
    tokensPerMinute: deployment.tokensPerMinute,
    connectTimeoutMs: deployment.connectTimeoutMs,
    firstByteTimeoutMs: deployment.firstByteTimeoutMs,
    totalTimeoutMs: deployment.totalTimeoutMs,
    healthCheckIntervalMs: deployment.healthCheckIntervalMs,
    isEnabled: deployment.isEnabled,
    createdAt: deployment.createdAt,
  };
}
