import { z } from "zod";

/** What sending needs; the URL may carry the server's user and password, so it is never shown. */
export interface MailSettings {
  smtpUrl: string;
  /** `address` or `Name <address>` */
  from: string;
}

export const SMTP_URL_MAX_LENGTH = 2048;
export const MAIL_FROM_MAX_LENGTH = 320;

// Anchored, one character class then literals: linear in the input.
const NAMED_ADDRESS = /^([^<>]*)<([^<>\s]+)>$/;
const CONTROL_CHARACTER = /\p{Cc}/u;

const addressSchema = z.email();

function isMailFrom(value: string): boolean {
  if (CONTROL_CHARACTER.test(value)) return false;
  const named = NAMED_ADDRESS.exec(value.trim());
  return addressSchema.safeParse(named ? named[2] : value.trim()).success;
}

/**
 * The e-mail part of an app's environment (dashboard, CLI): with `SMTP_URL`, account e-mails
 * (verification, password reset, invitations) are sent through that server from `MAIL_FROM`;
 * without it, the dashboard shows the links to the person who made them instead.
 * Messages never repeat the values: the URL may hold a password.
 */
export const mailEnvSchema = z.object({
  SMTP_URL: z
    .string()
    .max(SMTP_URL_MAX_LENGTH, `SMTP_URL must be at most ${SMTP_URL_MAX_LENGTH} characters`)
    .pipe(
      z.url({
        protocol: /^smtps?$/,
        error: "SMTP_URL must be an smtp:// or smtps:// URL, such as smtps://user:password@mail.example.com",
      }),
    )
    .optional(),
  MAIL_FROM: z
    .string()
    .max(MAIL_FROM_MAX_LENGTH, `MAIL_FROM must be at most ${MAIL_FROM_MAX_LENGTH} characters`)
    .refine(isMailFrom, "MAIL_FROM must be an e-mail address, or a name and an address as Name <address>")
    .optional(),
});
export type MailEnv = z.infer<typeof mailEnvSchema>;

/**
 * The rule one variable cannot state alone (the fragment is spread into each app's schema, which
 * drops object-level checks): call it beside parsing, as `checkFileStorageEnv`.
 */
export function checkMailEnv(env: MailEnv): void {
  if (env.SMTP_URL && !env.MAIL_FROM) {
    throw new Error(
      "invalid configuration: MAIL_FROM must be set with SMTP_URL: the address account e-mails come from, such as Platform <noreply@example.com>",
    );
  }
}

/** The settings to send with, or null when no SMTP server is configured (links shown instead). */
export function mailSettingsOf(env: MailEnv): MailSettings | null {
  checkMailEnv(env);
  if (!env.SMTP_URL || !env.MAIL_FROM) return null;
  return { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM.trim() };
}
