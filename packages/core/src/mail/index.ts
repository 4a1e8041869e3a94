export {
  type EmailVerificationMail,
  emailVerificationMessage,
  type InvitationMail,
  invitationMessage,
  type PasswordResetMail,
  passwordResetMessage,
} from "./account-messages.ts";
export {
  checkMailEnv,
  MAIL_FROM_MAX_LENGTH,
  type MailEnv,
  type MailSettings,
  mailEnvSchema,
  mailSettingsOf,
  SMTP_URL_MAX_LENGTH,
} from "./mail-env.ts";
export {
  createSmtpMailer,
  type Mailer,
  type MailMessage,
  type SmtpMailer,
  type SmtpMailerOptions,
} from "./mailer.ts";
