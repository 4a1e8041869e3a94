import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import {
  type DeploymentSettings,
  normalizeDeploymentSettings,
  pickDeploymentSettings,
} from "./deployment-rules.ts";
import { changeModel } from "./model-change.ts";
import type { ModelView } from "./model-view.ts";

/** Adds an upstream to a model; gateways route to it from the change's notification on. */
export async function addModelDeployment(
  deps: { db: Database; clock: Clock },
  input: Partial<DeploymentSettings> & { modelId: string; actor: Actor },
): Promise<ModelView> {
  const settings = normalizeDeploymentSettings(input);
  const id = newId("deployment");
  return changeModel(deps, { ...input, action: "model.deployment.add" }, async (tx, model) => {
    if (model.aliasOfId !== null) {
      throw new DomainError(
        "invalid",
        `\`${model.id}\` is an alias of \`${model.aliasOfId}\` and is served by its deployments.`,
        "modelId",
      );
    }
    const created = await tx.modelDeployment.create({
      data: {
        id,
        modelId: model.id,
        upstreamBaseUrl: settings.upstreamBaseUrl ?? null,
        upstreamModel: settings.upstreamModel ?? null,
        apiKeyRef: settings.apiKeyRef ?? null,
        weight: settings.weight ?? 1,
        priority: settings.priority ?? 0,
        requestsPerMinute: settings.requestsPerMinute ?? null,
        tokensPerMinute: settings.tokensPerMinute ?? null,
        connectTimeoutMs: settings.connectTimeoutMs ?? null,
        firstByteTimeoutMs: settings.firstByteTimeoutMs ?? null,
        totalTimeoutMs: settings.totalTimeoutMs ?? null,
        healthCheckIntervalMs: settings.healthCheckIntervalMs ?? null,
        isEnabled: settings.isEnabled ?? true,
        createdAt: deps.clock.now(),
      },
    });
    return { deploymentId: id, to: deploymentSettingsOf(created) };
  });
}

/** What the audit trail keeps of a deployment: its settings, which hold a key's name, never a key. */
export function deploymentSettingsOf(
  deployment: DeploymentSettings,
): Record<keyof DeploymentSettings, string | number | boolean | null> {
  return { ...pickDeploymentSettings(deployment) };
}
