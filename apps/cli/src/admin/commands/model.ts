import {
  addModelDeployment,
  cliActor,
  createModel,
  type DeploymentSettings,
  getModel,
  listModels,
  type ModelView,
  removeModelDeployment,
  retireModel,
  setModelAlias,
  setModelEnabled,
  setModelFallback,
  setModelTiers,
  unretireModel,
  updateModel,
  updateModelDeployment,
} from "@dsc/core";
import { adminCommand, flag, iso, required, table, text, UsageError } from "../command.ts";

/*
 * `dsc-admin model …`: the models page's changes from a shell, through the same core functions,
 * audited as the CLI (actor SYSTEM "dsc-admin", origin "cli"). Gateways apply each change as
 * soon as its notification arrives, as for the dashboard's.
 */

export const modelList = adminCommand({
  name: "model list",
  usage: "model list",
  async run(platform, _input, out) {
    const models = await listModels(platform);
    out.result(
      table(
        ["ID", "STATUS", "IN $/M", "OUT $/M", "CONTEXT", "TIERS", "ALIAS OF", "FALLBACK", "DEPLOYMENTS"],
        models.map((model) => [
          model.id,
          statusText(model),
          String(model.inputPricePerMTokens),
          String(model.outputPricePerMTokens),
          String(model.contextWindow),
          model.tiers.join(",") || "-",
          model.aliasOf ?? "-",
          model.fallbackModelId ?? "-",
          String(model.deployments.length),
        ]),
      ),
      models,
    );
  },
});

export const modelShow = adminCommand({
  name: "model show",
  usage: "model show MODEL_ID",
  argument: "model id",
  async run(platform, { argument }, out) {
    const model = await getModel(platform, { modelId: argument });
    out.result(describeModel(model), model);
  },
});

export const modelCreate = adminCommand({
  name: "model create",
  usage:
    "model create MODEL_ID --context-window N --input-price USD --output-price USD [--tiers free,pro] [--owned-by NAME] [--provider openai-compatible|local] [--routing weighted|least-in-flight]",
  argument: "model id",
  options: {
    "context-window": required,
    "input-price": required,
    "output-price": required,
    tiers: text,
    "owned-by": text,
    provider: text,
    routing: text,
  },
  async run(platform, { argument, values }, out) {
    const model = await createModel(platform, {
      id: argument,
      contextWindow: wholeNumber(values["context-window"], "context-window"),
      inputPricePerMTokens: price(values["input-price"], "input-price"),
      outputPricePerMTokens: price(values["output-price"], "output-price"),
      tiers: listOf(values.tiers),
      ownedBy: values["owned-by"],
      provider: oneOf(values.provider, "provider", {
        "openai-compatible": "OPENAI_COMPATIBLE",
        local: "LOCAL",
      }),
      routingStrategy: routing(values.routing),
      actor: cliActor(),
    });
    out.result(`created model ${model.id}\n${describeModel(model)}`, model);
  },
});

export const modelUpdate = adminCommand({
  name: "model update",
  usage:
    "model update MODEL_ID [--input-price USD] [--output-price USD] [--context-window N] [--owned-by NAME] [--routing weighted|least-in-flight] [--tiers free,pro|none]",
  argument: "model id",
  options: {
    "input-price": text,
    "output-price": text,
    "context-window": text,
    "owned-by": text,
    routing: text,
    tiers: text,
  },
  async run(platform, { argument, values }, out) {
    const settings = {
      inputPricePerMTokens: optional(values["input-price"], (v) => price(v, "input-price")),
      outputPricePerMTokens: optional(values["output-price"], (v) => price(v, "output-price")),
      contextWindow: optional(values["context-window"], (v) => wholeNumber(v, "context-window")),
      ownedBy: values["owned-by"],
      routingStrategy: routing(values.routing),
    };
    const hasSettings = Object.values(settings).some((value) => value !== undefined);
    if (!hasSettings && values.tiers === undefined) {
      throw new UsageError(
        "say what to change: --input-price, --output-price, --context-window, --owned-by, --routing or --tiers",
      );
    }
    const actor = cliActor();
    let model = hasSettings ? await updateModel(platform, { modelId: argument, ...settings, actor }) : null;
    if (values.tiers !== undefined) {
      const tiers = values.tiers.trim() === "none" ? [] : listOf(values.tiers);
      model = await setModelTiers(platform, { modelId: argument, tiers, actor });
    }
    out.result(describeModel(model as ModelView), model);
  },
});

const switchCommand = (isEnabled: boolean) =>
  adminCommand({
    name: isEnabled ? "model enable" : "model disable",
    usage: `model ${isEnabled ? "enable" : "disable"} MODEL_ID`,
    argument: "model id",
    async run(platform, { argument }, out) {
      const model = await setModelEnabled(platform, { modelId: argument, isEnabled, actor: cliActor() });
      out.result(
        isEnabled
          ? `model ${model.id} is enabled`
          : `model ${model.id} is disabled: gateways answer it with 404 model_not_found`,
        model,
      );
    },
  });
export const modelEnable = switchCommand(true);
export const modelDisable = switchCommand(false);

export const modelRetire = adminCommand({
  name: "model retire",
  usage: "model retire MODEL_ID --shutdown-at DATE [--replacement MODEL_ID]",
  argument: "model id",
  options: { "shutdown-at": required, replacement: text },
  async run(platform, { argument, values }, out) {
    const model = await retireModel(platform, {
      modelId: argument,
      shutdownAt: date(values["shutdown-at"], "shutdown-at"),
      replacementModelId: values.replacement ?? null,
      actor: cliActor(),
    });
    const replacement = model.replacementModelId ? `, replaced by ${model.replacementModelId}` : "";
    out.result(`model ${model.id} shuts down at ${iso(model.shutdownAt)}${replacement}`, model);
  },
});

export const modelUnretire = adminCommand({
  name: "model unretire",
  usage: "model unretire MODEL_ID",
  argument: "model id",
  async run(platform, { argument }, out) {
    const model = await unretireModel(platform, { modelId: argument, actor: cliActor() });
    out.result(`model ${model.id} has no shutdown date any more`, model);
  },
});

export const modelAlias = adminCommand({
  name: "model alias",
  usage: "model alias MODEL_ID (--of MODEL_ID | --none)",
  argument: "model id",
  options: { of: text, none: flag },
  async run(platform, { argument, values }, out) {
    const aliasOf = eitherOr(values.of, values.none, "--of MODEL_ID", "--none");
    const model = await setModelAlias(platform, { modelId: argument, aliasOf, actor: cliActor() });
    out.result(
      model.aliasOf ? `model ${model.id} is an alias of ${model.aliasOf}` : `model ${model.id} is no alias`,
      model,
    );
  },
});

export const modelFallback = adminCommand({
  name: "model fallback",
  usage: "model fallback MODEL_ID (--to MODEL_ID | --none)",
  argument: "model id",
  options: { to: text, none: flag },
  async run(platform, { argument, values }, out) {
    const fallbackModelId = eitherOr(values.to, values.none, "--to MODEL_ID", "--none");
    const model = await setModelFallback(platform, { modelId: argument, fallbackModelId, actor: cliActor() });
    out.result(
      model.fallbackModelId
        ? `model ${model.id} falls back to ${model.fallbackModelId}`
        : `model ${model.id} has no fallback`,
      model,
    );
  },
});

const DEPLOYMENT_OPTIONS = {
  "base-url": text,
  "upstream-model": text,
  "key-ref": text,
  weight: text,
  priority: text,
  rpm: text,
  tpm: text,
  "connect-timeout-ms": text,
  "first-byte-timeout-ms": text,
  "total-timeout-ms": text,
  "health-check-interval-ms": text,
} as const;
const DEPLOYMENT_USAGE =
  "[--base-url URL] [--upstream-model NAME] [--key-ref NAME] [--weight N] [--priority N] [--rpm N|none] [--tpm N|none] [--connect-timeout-ms N|none] [--first-byte-timeout-ms N|none] [--total-timeout-ms N|none] [--health-check-interval-ms N|none]";

export const modelDeploymentAdd = adminCommand({
  name: "model deployment add",
  usage: `model deployment add MODEL_ID ${DEPLOYMENT_USAGE} [--disabled]`,
  argument: "model id",
  options: { ...DEPLOYMENT_OPTIONS, disabled: flag },
  async run(platform, { argument, values }, out) {
    const model = await addModelDeployment(platform, {
      modelId: argument,
      ...deploymentSettings(values),
      isEnabled: values.disabled !== true,
      actor: cliActor(),
    });
    const added = [...model.deployments].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    out.result(`added deployment ${added?.id} to model ${model.id}\n${describeModel(model)}`, model);
  },
});

export const modelDeploymentUpdate = adminCommand({
  name: "model deployment update",
  usage: `model deployment update MODEL_ID --deployment DEPLOYMENT_ID ${DEPLOYMENT_USAGE} [--enabled on|off]`,
  argument: "model id",
  options: { ...DEPLOYMENT_OPTIONS, deployment: required, enabled: text },
  async run(platform, { argument, values }, out) {
    const settings = {
      ...deploymentSettings(values),
      isEnabled: oneOf(values.enabled, "enabled", { on: true, off: false }),
    };
    if (Object.values(settings).every((value) => value === undefined)) {
      throw new UsageError("say what to change, e.g. --weight N or --enabled off");
    }
    const model = await updateModelDeployment(platform, {
      modelId: argument,
      deploymentId: values.deployment,
      ...settings,
      actor: cliActor(),
    });
    out.result(`updated deployment ${values.deployment}\n${describeModel(model)}`, model);
  },
});

export const modelDeploymentRemove = adminCommand({
  name: "model deployment remove",
  usage: "model deployment remove MODEL_ID --deployment DEPLOYMENT_ID",
  argument: "model id",
  options: { deployment: required },
  async run(platform, { argument, values }, out) {
    const model = await removeModelDeployment(platform, {
      modelId: argument,
      deploymentId: values.deployment,
      actor: cliActor(),
    });
    out.result(`removed deployment ${values.deployment}\n${describeModel(model)}`, model);
  },
});

export const MODEL_COMMANDS = [
  modelList,
  modelShow,
  modelCreate,
  modelUpdate,
  modelEnable,
  modelDisable,
  modelRetire,
  modelUnretire,
  modelAlias,
  modelFallback,
  modelDeploymentAdd,
  modelDeploymentUpdate,
  modelDeploymentRemove,
];

function deploymentSettings(
  values: Record<string, string | boolean | undefined>,
): Partial<DeploymentSettings> {
  const textOf = (name: string) => values[name] as string | undefined;
  const nullableWhole = (name: string) =>
    optional(textOf(name), (v) => (v.trim() === "none" ? null : wholeNumber(v, name)));
  return {
    upstreamBaseUrl: textOf("base-url"),
    upstreamModel: textOf("upstream-model"),
    apiKeyRef: textOf("key-ref"),
    weight: optional(textOf("weight"), (v) => wholeNumber(v, "weight")),
    priority: optional(textOf("priority"), (v) => wholeNumber(v, "priority")),
    requestsPerMinute: nullableWhole("rpm"),
    tokensPerMinute: nullableWhole("tpm"),
    connectTimeoutMs: nullableWhole("connect-timeout-ms"),
    firstByteTimeoutMs: nullableWhole("first-byte-timeout-ms"),
    totalTimeoutMs: nullableWhole("total-timeout-ms"),
    healthCheckIntervalMs: nullableWhole("health-check-interval-ms"),
  };
}

function statusText(model: ModelView): string {
  if (model.status === "retiring") return `retiring ${iso(model.shutdownAt).slice(0, 10)}`;
  return model.status.replace("_", " ");
}

function describeModel(model: ModelView): string {
  const lines = [
    `model ${model.id} (${statusText(model)})`,
    `  prices:          $${model.inputPricePerMTokens} in, $${model.outputPricePerMTokens} out per million tokens`,
    `  context window:  ${model.contextWindow} tokens`,
    `  tiers:           ${model.tiers.join(", ") || "none"}`,
    `  routing:         ${model.routingStrategy.toLowerCase().replaceAll("_", "-")}`,
  ];
  if (model.aliasOf) lines.push(`  alias of:        ${model.aliasOf}`);
  if (model.aliases.length > 0) lines.push(`  aliases:         ${model.aliases.join(", ")}`);
  if (model.fallbackModelId) lines.push(`  fallback:        ${model.fallbackModelId}`);
  if (model.replacementModelId) lines.push(`  replacement:     ${model.replacementModelId}`);
  lines.push(
    "  deployments:",
    table(
      ["ID", "BASE URL", "UPSTREAM MODEL", "KEY REF", "WEIGHT", "PRIORITY", "RPM", "TPM", "ENABLED"],
      model.deployments.map((d) => [
        d.id,
        d.upstreamBaseUrl ?? "(default upstream)",
        d.upstreamModel ?? "-",
        d.apiKeyRef ?? "-",
        String(d.weight),
        String(d.priority),
        d.requestsPerMinute === null ? "-" : String(d.requestsPerMinute),
        d.tokensPerMinute === null ? "-" : String(d.tokensPerMinute),
        d.isEnabled ? "yes" : "no",
      ]),
    )
      .split("\n")
      .map((line) => `    ${line}`)
      .join("\n"),
  );
  return lines.join("\n");
}

function optional<T>(value: string | undefined, parse: (value: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

function wholeNumber(value: string, name: string): number {
  const number = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number)) {
    throw new UsageError(`--${name} must be a whole number`);
  }
  return number;
}

function price(value: string, name: string): number {
  if (!/^\d{1,6}(?:\.\d{1,6})?$/.test(value.trim())) {
    throw new UsageError(
      `--${name} must be US dollars per million tokens, e.g. 0.27, with at most 6 decimals`,
    );
  }
  return Number(value.trim());
}

function date(value: string, name: string): Date {
  const parsed = new Date(value.trim());
  if (Number.isNaN(parsed.getTime())) {
    throw new UsageError(`--${name} must be a date such as 2026-09-30 or 2026-09-30T12:00:00Z`);
  }
  return parsed;
}

function listOf(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function routing(value: string | undefined) {
  return oneOf(value, "routing", { weighted: "WEIGHTED", "least-in-flight": "LEAST_IN_FLIGHT" } as const);
}

function oneOf<T>(value: string | undefined, name: string, choices: Record<string, T>): T | undefined {
  if (value === undefined) return undefined;
  const choice = choices[value.trim().toLowerCase()];
  if (choice === undefined) throw new UsageError(`--${name} must be ${Object.keys(choices).join(" or ")}`);
  return choice;
}

function eitherOr(value: string | undefined, none: boolean | undefined, named: string, noneFlag: string) {
  if ((value === undefined) === (none !== true)) throw new UsageError(`give either ${named} or ${noneFlag}`);
  return value ?? null;
}
