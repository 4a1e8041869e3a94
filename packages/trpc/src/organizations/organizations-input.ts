import { z } from "zod";

const organizationId = z.string().trim().min(1, "choose an organization").max(100);
const retentionDays = z
  .number({ error: "enter a number of days" })
  .int("enter a whole number of days")
  .min(1, "at least 1 day")
  .max(3650, "at most 3650 days");

export const ListOrganizationsInputSchema = z.object({
  search: z.string().trim().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  after: z.string().optional(),
});

export const GetOrganizationInputSchema = z.object({ organizationId });

export const ListMembersInputSchema = z.object({ organizationId });

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
  /** null = the tier's retention */
  chatLogRetentionDays: retentionDays.nullable().optional(),
  fileRetentionDays: retentionDays.nullable().optional(),
});
export type UpdateOrganizationSettingsInput = z.input<typeof UpdateOrganizationSettingsInputSchema>;
