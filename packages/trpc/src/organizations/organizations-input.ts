import { z } from "zod";
import { LEGAL_HOLD_REASON_MAX_LENGTH, ORGANIZATION_SORTS, PII_KINDS } from "../vocabulary.ts";

const organizationId = z.string().trim().min(1, "Choose an organization.").max(100);
const retentionDays = z
  .number({ error: "Enter a number of days." })
  .int("Enter a whole number of days.")
  .min(1, "Enter at least 1 day.")
  .max(3650, "Enter at most 3,650 days.");

export const ListOrganizationsInputSchema = z.object({
  search: z.string().trim().max(200).optional(),
  /** name A–Z unless asked otherwise */
  sort: z.enum(ORGANIZATION_SORTS).default("name_asc"),
  limit: z.number().int().min(1).max(100).default(25),
  /** the id of the last organization of the page before */
  after: z.string().max(100).optional(),
});

export const GetOrganizationInputSchema = z.object({ organizationId });

export const ListMembersInputSchema = z.object({ organizationId });

export const ListPowerfulCredentialsInputSchema = z.object({ organizationId });

export const CreateOrganizationInputSchema = z.object({
  name: z.string().trim().min(1, "Enter a name.").max(200, "Use at most 200 characters."),
  tier: z.string().trim().min(1, "Choose a tier.").max(40),
});

export const SetOrganizationTierInputSchema = z.object({
  organizationId,
  tier: z.string().trim().min(1, "Choose a tier.").max(40),
});

export const UpdateOrganizationSettingsInputSchema = z.object({
  organizationId,
  name: z.string().trim().min(1, "Enter a name.").max(200, "Use at most 200 characters.").optional(),
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
  piiMaskKinds: z
    .array(z.enum(PII_KINDS, { error: "Choose kinds of personal data from the list." }))
    .optional(),
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
      .max(LEGAL_HOLD_REASON_MAX_LENGTH, `Use at most ${LEGAL_HOLD_REASON_MAX_LENGTH} characters.`)
      .optional(),
  })
  // the lift may say why; a hold must
  .refine((input) => !input.legalHold || (input.reason ?? "").length > 0, {
    message: "Say why the hold is placed.",
    path: ["reason"],
  });
export type SetLegalHoldInput = z.input<typeof SetLegalHoldInputSchema>;
