import { z } from "zod";

/*
 * What the models page sends. Core checks the same rules (and the ones that need the database:
 * loops, existing models, tiers); these give the form its sentences before a round trip.
 */

const ROUTING_STRATEGIES = ["WEIGHTED", "LEAST_IN_FLIGHT"] as const;

export const ModelIdSchema = z
  .string({ error: "Enter a model id." })
  .trim()
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9._:-]{0,126}[A-Za-z0-9])?$/,
    "Use 1 to 128 letters, digits, dots, dashes, underscores or colons, starting and ending with a letter or digit.",
  );

const price = z
  .number({ error: "Enter a price in US dollars per million tokens." })
  .min(0, "Enter 0 or more.")
  .max(999_999, "Enter at most 999,999.")
  .refine((value) => Number(value.toFixed(6)) === value, "Use at most 6 decimals.");

const contextWindow = z
  .number({ error: "Enter the context window in tokens." })
  .int("Enter a whole number of tokens.")
  .min(1, "Enter at least 1.")
  .max(10_000_000, "Enter at most 10,000,000.");

export const ModelSettingsInputSchema = z.object({
  ownedBy: z.string().trim().min(1, "Enter an owner.").max(100, "Use at most 100 characters."),
  contextWindow,
  inputPricePerMTokens: price,
  outputPricePerMTokens: price,
  routingStrategy: z.enum(ROUTING_STRATEGIES),
});

export const CreateModelInputSchema = ModelSettingsInputSchema.extend({
  id: ModelIdSchema,
  provider: z.enum(["OPENAI_COMPATIBLE", "LOCAL"]).default("OPENAI_COMPATIBLE"),
  tiers: z.array(z.string().trim().min(1).max(40)).max(100),
});
export type CreateModelInput = z.input<typeof CreateModelInputSchema>;

export const ModelRefInputSchema = z.object({ modelId: z.string().trim().min(1).max(128) });

export const UpdateModelInputSchema = ModelSettingsInputSchema.partial().extend(ModelRefInputSchema.shape);

export const SetModelTiersInputSchema = ModelRefInputSchema.extend({
  tiers: z.array(z.string().trim().min(1).max(40)).max(100),
});

export const SetModelEnabledInputSchema = ModelRefInputSchema.extend({ isEnabled: z.boolean() });

export const RetireModelInputSchema = ModelRefInputSchema.extend({
  shutdownAt: z.date({ error: "Choose the shutdown date." }),
  replacementModelId: z.string().trim().max(128).nullable(),
});

export const SetModelAliasInputSchema = ModelRefInputSchema.extend({
  aliasOf: z.string().trim().max(128).nullable(),
});

export const SetModelFallbackInputSchema = ModelRefInputSchema.extend({
  fallbackModelId: z.string().trim().max(128).nullable(),
});

const optionalWhole = (what: string, min: number, max: number) =>
  z
    .number({ error: `Enter ${what}.` })
    .int("Enter a whole number.")
    .min(min, `Enter at least ${min.toLocaleString("en")}.`)
    .max(max, `Enter at most ${max.toLocaleString("en")}.`)
    .nullable();

export const DeploymentSettingsInputSchema = z.object({
  upstreamBaseUrl: z
    .string()
    .trim()
    .max(2_000, "Use at most 2,000 characters.")
    .refine((value) => value === "" || /^https?:\/\//i.test(value), "Enter an http:// or https:// address.")
    .nullable(),
  upstreamModel: z.string().trim().max(200, "Use at most 200 characters.").nullable(),
  apiKeyRef: z
    .string()
    .trim()
    .refine(
      (value) => value === "" || /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(value),
      "Name a key of UPSTREAM_API_KEYS: 1 to 64 letters, digits, dots, dashes or underscores.",
    )
    .nullable(),
  weight: z
    .number({ error: "Enter a weight." })
    .int("Enter a whole number.")
    .min(0, "Enter 0 or more.")
    .max(1_000_000),
  priority: z
    .number({ error: "Enter a priority." })
    .int("Enter a whole number.")
    .min(0, "Enter 0 or more.")
    .max(1_000, "Enter at most 1,000."),
  requestsPerMinute: optionalWhole("requests per minute", 1, 10_000_000),
  tokensPerMinute: optionalWhole("tokens per minute", 1, 1_000_000_000),
  connectTimeoutMs: optionalWhole("milliseconds", 100, 600_000),
  firstByteTimeoutMs: optionalWhole("milliseconds", 100, 3_600_000),
  totalTimeoutMs: optionalWhole("milliseconds", 100, 3_600_000),
  healthCheckIntervalMs: optionalWhole("milliseconds", 1_000, 3_600_000),
  isEnabled: z.boolean(),
});
export type DeploymentSettingsInput = z.input<typeof DeploymentSettingsInputSchema>;

export const AddDeploymentInputSchema = DeploymentSettingsInputSchema.extend(ModelRefInputSchema.shape);

export const UpdateDeploymentInputSchema = DeploymentSettingsInputSchema.partial().extend({
  ...ModelRefInputSchema.shape,
  deploymentId: z.string().trim().min(1).max(40),
});

export const RemoveDeploymentInputSchema = ModelRefInputSchema.extend({
  deploymentId: z.string().trim().min(1).max(40),
});
