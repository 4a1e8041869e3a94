import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, ROLES } from "../vocabulary.ts";

const userId = z.string().min(1);
const developerNeedsOrganization = {
  check: (value: { role: string; organizationId?: string | null }) =>
    value.role !== "DEVELOPER" || Boolean(value.organizationId),
  params: { message: "a developer must belong to an organization", path: ["organizationId"] },
};

export const ListUsersInputSchema = z.object({
  search: z.string().trim().max(200).optional(),
  role: z.enum(ROLES).optional(),
  organizationId: z.string().min(1).optional(),
  status: z.enum(["active", "deactivated", "all"]).default("active"),
  limit: z.number().int().min(1).max(100).default(25),
  after: z.string().optional(),
});

export const CreateUserInputSchema = z
  .object({
    email: z.email("enter a valid e-mail address").trim().max(254),
    name: z.string().trim().max(100, "at most 100 characters").optional(),
    role: z.enum(ROLES),
    /** required for developers; "" = none */
    organizationId: z.string().optional(),
    /** "" or absent: invited, signs in through an identity provider */
    password: z
      .union([
        z.literal(""),
        z
          .string()
          .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
          .max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`),
      ])
      .optional(),
  })
  .refine(developerNeedsOrganization.check, developerNeedsOrganization.params);
export type CreateUserInput = z.input<typeof CreateUserInputSchema>;

export const SetUserRoleInputSchema = z
  .object({ userId, role: z.enum(ROLES), organizationId: z.string().optional() })
  .refine(developerNeedsOrganization.check, developerNeedsOrganization.params);
export type SetUserRoleInput = z.input<typeof SetUserRoleInputSchema>;

export const DeactivateUserInputSchema = z.object({ userId });
export const ReactivateUserInputSchema = z.object({ userId });
