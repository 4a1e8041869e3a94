import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../vocabulary.ts";

const password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

export const RequestPasswordResetInputSchema = z.object({
  email: z.email("Enter a valid e-mail address.").trim().max(254, "Use at most 254 characters."),
});
export type RequestPasswordResetInput = z.input<typeof RequestPasswordResetInputSchema>;

export const CompletePasswordResetInputSchema = z
  .object({
    // a link's secret is 43 characters; a wrong one gets the domain's sentence
    token: z.string().trim().min(1, "The link has no token. Open the link from the e-mail again.").max(100),
    password,
    confirmPassword: z.string().max(PASSWORD_MAX_LENGTH),
  })
  .refine((value) => value.password === value.confirmPassword, {
    message: "The two passwords differ.",
    path: ["confirmPassword"],
  });
export type CompletePasswordResetInput = z.input<typeof CompletePasswordResetInputSchema>;
