import type { Database, Prisma } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { deploymentSettingsOf } from "./add-model-deployment.ts";
import { type DeploymentSettings, normalizeDeploymentSettings } from "./deployment-rules.ts";
import { changeModel } from "./model-change.ts";
import type { ModelView } from "./model-view.ts";

/** Changes the given settings of one deployment of the model; the audit keeps before and after. */
export async function updateModelDeployment(
  deps: { db: Database; clock: Clock },
  input: Partial<DeploymentSettings> & { modelId: string; deploymentId: string; actor: Actor },
): Promise<ModelView> {
  const settings = normalizeDeploymentSettings(pickSettings(input));
  return changeModel(deps, { ...input, action: "model.deployment.update" }, async (tx, model) => {
    const before = await findDeployment(tx, model.id, input.deploymentId);
    const updated = await tx.modelDeployment.update({ where: { id: before.id }, data: settings });
    const from = deploymentSettingsOf(before);
    const to = deploymentSettingsOf(updated);
    const changed = (Object.keys(to) as (keyof DeploymentSettings)[]).filter(
      (field) => from[field] !== to[field],
    );
    return {
      deploymentId: before.id,
      from: Object.fromEntries(changed.map((field) => [field, from[field]])),
      to: Object.fromEntries(changed.map((field) => [field, to[field]])),
    };
  });
}

/** The deployment, if it belongs to that model: an id of another model's deployment is not found. */
export async function findDeployment(tx: Prisma.TransactionClient, modelId: string, deploymentId: string) {
  const deployment = await tx.modelDeployment.findFirst({ where: { id: deploymentId, modelId } });
  if (!deployment) {
    throw new DomainError(
      "not_found",
      `The model \`${modelId}\` has no deployment \`${deploymentId.slice(0, 40)}\`.`,
      "deploymentId",
    );
  }
  return deployment;
}

const SETTING_FIELDS = [
  "upstreamBaseUrl",
  "upstreamModel",
  "apiKeyRef",
  "weight",
  "priority",
  "requestsPerMinute",
  "tokensPerMinute",
  "connectTimeoutMs",
  "firstByteTimeoutMs",
  "totalTimeoutMs",
  "healthCheckIntervalMs",
  "isEnabled",
] as const satisfies readonly (keyof DeploymentSettings)[];

function pickSettings(input: Partial<DeploymentSettings>): Partial<DeploymentSettings> {
  return Object.fromEntries(
    SETTING_FIELDS.filter((field) => input[field] !== undefined).map((field) => [field, input[field]]),
  );
}
