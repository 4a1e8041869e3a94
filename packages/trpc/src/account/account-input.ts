import { z } from "zod";
import { PASSWORD_BOUNDS } from "../vocabulary.ts";

export const ChangePasswordInputSchema = z
  .object({
    currentPassword: z.string().min(1, "enter your current password").max(PASSWORD_BOUNDS.max),
    newPassword: z
      .string()
      .min(PASSWORD_BOUNDS.min, `at least ${PASSWORD_BOUNDS.min} characters`)
      .max(PASSWORD_BOUNDS.max, `at most ${PASSWORD_BOUNDS.max} characters`),
    confirmPassword: z.string(),
  })
  .refine((value) => value.newPassword === value.confirmPassword, {
    message: "the two new passwords differ",
    path: ["confirmPassword"],
  });
export type ChangePasswordInput = z.input<typeof ChangePasswordInputSchema>;

/** The sign-in form; NextAuth's credentials provider parses its body with the same schema. */
export const SignInInputSchema = z.object({
  email: z.email("enter a valid e-mail address").trim().max(254),
  password: z.string().min(1, "enter your password").max(PASSWORD_BOUNDS.max),
});
export type SignInInput = z.input<typeof SignInInputSchema>;
