import { z } from "zod";

const whole = (what: string, max: number) =>
  z
    .number({ error: `Enter ${what}.` })
    .int("Enter a whole number.")
    .min(1, "Enter at least 1.")
    .max(max, `Enter at most ${max.toLocaleString("en")}.`);

/** A tier's limits as the form edits them: file size and storage in MiB, null = unlimited. */
export const TierLimitsInputSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
  requestsPerMinute: whole("requests per minute", 1_000_000),
  tokensPerMinute: whole("tokens per minute", 1_000_000_000).nullable(),
  monthlyTokenQuota: whole("monthly tokens", 1_000_000_000_000).nullable(),
  maxFileMiB: whole("a size in MiB", 1_048_576),
  /** what an organization's live files may take together */
  maxStorageMiB: whole("a size in MiB", 1024 ** 3).nullable(),
  chatLogRetentionDays: whole("days", 3650),
  fileRetentionDays: whole("days", 3650),
});
export type TierLimitsInput = z.input<typeof TierLimitsInputSchema>;

export const CreateTierInputSchema = TierLimitsInputSchema.extend({
  slug: z
    .string()
    .trim()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/,
      "Use 1 to 40 lower-case letters, digits or dashes, not starting or ending with a dash.",
    ),
});

export const UpdateTierInputSchema = TierLimitsInputSchema.extend({
  tierId: z.string().min(1),
});
