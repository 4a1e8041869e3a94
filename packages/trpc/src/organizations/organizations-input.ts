import { z } from "zod";
import { LEGAL_HOLD_REASON_MAX_LENGTH, ORGANIZATION_SORTS, PII_KINDS } from "../vocabulary.ts";

const organizationId = z.string().trim().min(1, "choose an organization").max(100);
const retentionDays = z
  .number({ error: "enter a number of days" })
  .int("enter a whole number of days")
  .min(1, "at least 1 day")
  .max(3650, "at most 3650 days");

export const ListOrganizationsInputSchema = z.object({
  search: z.string().trim().max(200).optional(),
  /** name A–Z unless asked otherwise */
  sort: z.enum(ORGANIZATION_SORTS).default("name_asc"),
  limit: z.number().int().min(1).max(100).default(25),
  after: z.string().optional(),
});

export const GetOrganizationInputSchema = z.object({ organizationId });

export const ListMembersInputSchema = z.object({ organizationId });

export const ListPowerfulCredentialsInputSchema = z.object({ organizationId });

export const CreateOrganizationInputSchema = z.object({
  name: z.string().trim().min(1, "enter a name").max(200, "at most 200 characters"),
  tier: z.string().trim().min(1, "choose a tier").max(40),
});

export const SetOrganizationTierInputSchema = z.object({
  organizationId,
  tier: z.string().trim().min(1, "choose a tier").max(40),
});

export const UpdateOrganizationSettingsInputSchema = z.object({
  organizationId,
  name: z.string().trim().min(1, "enter a name").max(200, "at most 200 characters").optional(),
  dataCollectionOptOut: z.boolean().optional(),
});
export type UpdateOrganizationSettingsInput = z.input<typeof UpdateOrganizationSettingsInputSchema>;

/** How long logs and files are kept; null = the tier's retention. The tier's days bound it (in core). */
export const UpdateRetentionInputSchema = z.object({
  organizationId,
  chatLogRetentionDays: retentionDays.nullable().optional(),
  fileRetentionDays: retentionDays.nullable().optional(),
});
export type UpdateRetentionInput = z.input<typeof UpdateRetentionInputSchema>;

export const UpdateDataProtectionInputSchema = z.object({
  organizationId,
  /** [] masks nothing */
  piiMaskKinds: z.array(z.enum(PII_KINDS, { error: "not a kind of personal data" })).optional(),
  maskPiiUpstream: z.boolean().optional(),
  responseCacheEnabled: z.boolean().optional(),
});
export type UpdateDataProtectionInput = z.input<typeof UpdateDataProtectionInputSchema>;

export const GetLegalHoldInputSchema = z.object({ organizationId });

export const SetLegalHoldInputSchema = z
  .object({
    organizationId,
    legalHold: z.boolean(),
    reason: z
      .string()
      .trim()
      .max(LEGAL_HOLD_REASON_MAX_LENGTH, `at most ${LEGAL_HOLD_REASON_MAX_LENGTH} characters`)
      .optional(),
  })
  // the lift may say why; a hold must
  .refine((input) => !input.legalHold || (input.reason ?? "").length > 0, {
    message: "say why the hold is placed",
    path: ["reason"],
  });
export type SetLegalHoldInput = z.input<typeof SetLegalHoldInputSchema>;
