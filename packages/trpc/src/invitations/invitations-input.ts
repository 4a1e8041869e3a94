import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../vocabulary.ts";

/** An invitation link's secret (43 base64url characters); anything longer is not one. */
const token = z.string().trim().min(1, "This invitation link is incomplete.").max(100);

export const PreviewInvitationInputSchema = z.object({ token });

export const AcceptInvitationInputSchema = z.object({
  token,
  /** signed out, for an address without an account: the account to create */
  newAccount: z
    .object({
      name: z.string().trim().max(100, "Use at most 100 characters.").optional(),
      password: z
        .string()
        .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
        .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
    })
    .optional(),
});
export type AcceptInvitationInput = z.input<typeof AcceptInvitationInputSchema>;
