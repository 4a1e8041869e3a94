import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../vocabulary.ts";

const emailField = z.email("Enter a valid e-mail address.").trim().max(254, "Use at most 254 characters.");
const newPasswordField = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);
/** a link's secret: 43 characters; a little room, so that a wrong one is refused by the domain's sentence */
const linkTokenField = z
  .string()
  .trim()
  .min(1, "The link has no token. Open the link from the e-mail again.")
  .max(100);

export const SignUpInputSchema = z.object({
  email: emailField,
  password: newPasswordField,
  name: z.string().trim().max(100, "Use at most 100 characters.").optional(),
});
export type SignUpInput = z.input<typeof SignUpInputSchema>;

/** The sign-up page's form: the password typed twice. */
export const SignUpFormSchema = SignUpInputSchema.extend({
  confirmPassword: z.string().max(PASSWORD_MAX_LENGTH),
}).refine((value) => value.password === value.confirmPassword, {
  message: "The two passwords differ.",
  path: ["confirmPassword"],
});
export type SignUpForm = z.input<typeof SignUpFormSchema>;

export const VerifyEmailInputSchema = z.object({ token: linkTokenField });
