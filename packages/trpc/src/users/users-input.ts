import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, ROLES } from "../vocabulary.ts";

const userId = z.string().min(1).max(100);
const developerNeedsOrganization = {
  check: (value: { role: string; organizationId?: string | null }) =>
    value.role !== "DEVELOPER" || Boolean(value.organizationId),
  params: { message: "Choose the developer's organization.", path: ["organizationId"] },
};
const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

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
    email: z.email("Enter a valid e-mail address.").trim().max(254, "Use at most 254 characters."),
    name: z.string().trim().max(100, "Use at most 100 characters.").optional(),
    role: z.enum(ROLES),
    /** required for developers; "" = none */
    organizationId: z.string().max(100).optional(),
    /** "" or absent: invited, signs in through an identity provider (refused when none is configured) */
    password: z.union([z.literal(""), password]).optional(),
  })
  .refine(developerNeedsOrganization.check, developerNeedsOrganization.params);
export type CreateUserInput = z.input<typeof CreateUserInputSchema>;

export const SetUserRoleInputSchema = z
  .object({ userId, role: z.enum(ROLES), organizationId: z.string().max(100).optional() })
  .refine(developerNeedsOrganization.check, developerNeedsOrganization.params);
export type SetUserRoleInput = z.input<typeof SetUserRoleInputSchema>;

/** A password an admin sets for someone else, typed twice. */
export const SetUserPasswordInputSchema = z
  .object({ userId, password, confirmPassword: z.string().max(PASSWORD_MAX_LENGTH) })
  .refine((value) => value.password === value.confirmPassword, {
    message: "The two passwords differ.",
    path: ["confirmPassword"],
  });
export type SetUserPasswordInput = z.input<typeof SetUserPasswordInputSchema>;

/** A one-time link for someone to choose a new password themselves. */
export const PasswordResetLinkInputSchema = z.object({ userId });

export const DeactivateUserInputSchema = z.object({ userId });
export const ReactivateUserInputSchema = z.object({ userId });
