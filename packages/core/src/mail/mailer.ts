import { createTransport } from "nodemailer";
import { DomainError } from "../errors/domain-error.ts";
import type { MailSettings } from "./mail-env.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one message; fails with DomainError("unavailable") when the server does not take it. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface SmtpMailer extends Mailer {
  /** Closes any open connection; sending afterwards is a mistake. */
  close(): void;
}

export interface SmtpMailerOptions {
  /** each step's limit: connecting, the server's greeting, a silent socket (default 10 s) */
  stepTimeoutMs?: number;
}

const DEFAULT_STEP_TIMEOUT_MS = 10_000;
// A server that answers each step just in time must still not hold a request for minutes.
const STEPS_PER_MESSAGE = 3;

/**
 * A mailer sending through the configured SMTP server. Errors say what went wrong in a short
 * sentence of our own: the server's text and the URL may carry the user or the password.
 */
export function createSmtpMailer(settings: MailSettings, options: SmtpMailerOptions = {}): SmtpMailer {
  const stepTimeoutMs = options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const transport = createTransport({
    url: settings.smtpUrl,
    connectionTimeout: stepTimeoutMs,
    greetingTimeout: stepTimeoutMs,
    socketTimeout: stepTimeoutMs,
    dnsTimeout: stepTimeoutMs,
    logger: false,
    debug: false,
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from: settings.from,
          to: message.to,
          subject: withoutLineBreaks(message.subject),
          text: message.text,
          html: message.html,
          signal: AbortSignal.timeout(stepTimeoutMs * STEPS_PER_MESSAGE),
        });
      } catch (error) {
        throw new DomainError("unavailable", `The e-mail could not be sent: ${failureReason(error)}.`);
      }
    },
    close() {
      transport.close();
    },
  };
}

export function withoutLineBreaks(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

/** A reason from the error's code and the server's numeric reply only, never its text. */
function failureReason(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const reply = typeof responseCode === "number" ? ` (reply ${responseCode})` : "";
  switch (code) {
    case "EAUTH":
    case "ENOAUTH":
      return `the mail server refused the sign-in; check the user and password in SMTP_URL${reply}`;
    case "ECONNECTION":
    case "ESOCKET":
    case "EDNS":
    case "EPROXY":
      return "the mail server could not be reached";
    case "ETIMEDOUT":
    case "EABORT":
      return "the mail server did not answer in time";
    case "ETLS":
    case "EREQUIRETLS":
      return "the secure connection to the mail server failed";
    case "EENVELOPE":
      return `the mail server refused the sender or the recipient${reply}`;
    default:
      return `the mail server refused the message${reply}`;
  }
}
