import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../vocabulary.ts";

export const ChangePasswordInputSchema = z
  .object({
    currentPassword: z.string().min(1, "Enter your current password.").max(PASSWORD_MAX_LENGTH),
    newPassword: z
      .string()
      .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
      .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
    confirmPassword: z.string().max(PASSWORD_MAX_LENGTH),
  })
  .refine((value) => value.newPassword === value.confirmPassword, {
    message: "The two new passwords differ.",
    path: ["confirmPassword"],
  });
export type ChangePasswordInput = z.input<typeof ChangePasswordInputSchema>;

/** The sign-in form; NextAuth's credentials provider parses its body with the same schema. */
export const SignInInputSchema = z.object({
  email: z.email("Enter a valid e-mail address.").trim().max(254),
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX_LENGTH),
});
export type SignInInput = z.input<typeof SignInInputSchema>;

export const SwitchOrganizationInputSchema = z.object({
  organizationId: z.string().trim().min(1, "Choose an organization.").max(100),
});

/** Deleting one's account: the person types their e-mail address to confirm. */
export const RequestAccountErasureInputSchema = z.object({
  confirmEmail: z.string().trim().min(1, "Type your e-mail address to confirm.").max(254),
});
export type RequestAccountErasureInput = z.input<typeof RequestAccountErasureInputSchema>;
