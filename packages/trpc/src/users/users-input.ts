import { z } from "zod";
import { PASSWORD_BOUNDS, ROLE_NAMES } from "../vocabulary.ts";

const userId = z.string().min(1);
const developerNeedsOrganization = {
  check: (value: { role: string; organizationId?: string | null }) =>
    value.role !== "DEVELOPER" || Boolean(value.organizationId),
  params: { message: "a developer must belong to an organization", path: ["organizationId"] },
};

export const ListUsersInputSchema = z.object({
  search: z.string().trim().max(200).optional(),
  role: z.enum(ROLE_NAMES).optional(),
  organizationId: z.string().min(1).optional(),
  status: z.enum(["active", "deactivated", "all"]).default("active"),
  limit: z.number().int().min(1).max(100).default(25),
  after: z.string().optional(),
});

export const CreateUserInputSchema = z
  .object({
    email: z.email("enter a valid e-mail address").trim().max(254),
    name: z.string().trim().max(100, "at most 100 characters").optional(),
    role: z.enum(ROLE_NAMES),
    /** required for developers; "" = none */
    organizationId: z.string().optional(),
    /** "" or absent: invited, signs in through an identity provider */
    password: z
      .union([
        z.literal(""),
        z
          .string()
          .min(PASSWORD_BOUNDS.min, `at least ${PASSWORD_BOUNDS.min} characters`)
          .max(PASSWORD_BOUNDS.max, `at most ${PASSWORD_BOUNDS.max} characters`),
      ])
      .optional(),
  })
  .refine(developerNeedsOrganization.check, developerNeedsOrganization.params);
export type CreateUserInput = z.input<typeof CreateUserInputSchema>;

export const SetUserRoleInputSchema = z
  .object({ userId, role: z.enum(ROLE_NAMES), organizationId: z.string().optional() })
  .refine(developerNeedsOrganization.check, developerNeedsOrganization.params);
export type SetUserRoleInput = z.input<typeof SetUserRoleInputSchema>;

export const DeactivateUserInputSchema = z.object({ userId });
export const ReactivateUserInputSchema = z.object({ userId });
