import type { TierLimits } from "@dsc/core";
import type { z } from "zod";
import { MIB } from "../vocabulary.ts";
import type { TierLimitsInputSchema } from "./tiers-input.ts";

/** The form's limits as core stores them (MiB become bytes). */
export function toTierLimits(input: z.output<typeof TierLimitsInputSchema>): TierLimits {
  return {
    name: input.name,
    requestsPerMinute: input.requestsPerMinute,
    tokensPerMinute: input.tokensPerMinute,
    monthlyTokenQuota: input.monthlyTokenQuota,
    maxFileBytes: input.maxFileMiB * MIB,
    maxStorageBytes: input.maxStorageMiB === null ? null : input.maxStorageMiB * MIB,
    chatLogRetentionDays: input.chatLogRetentionDays,
    fileRetentionDays: input.fileRetentionDays,
  };
}
