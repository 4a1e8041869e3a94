import {
  createAccountThrottle,
  createMemoryRateLimiter,
  createSmtpMailer,
  type SmtpMailer,
  systemClock,
} from "@dsc/core";
import { linksIn, type SmtpInbox, startSmtpInbox } from "../../../../test/support/smtp-inbox.ts";
import type { AccountsSettings, TrpcContext } from "../context.ts";

/**
 * A dashboard that sends account e-mail to an SMTP server of the test's own, for the
 * procedures of sign-up, password reset and invitations.
 */
export interface MailedAccounts {
  inbox: SmtpInbox;
  mailer: SmtpMailer;
  /** the context of a dashboard with this mailer (SIGNUP=invite unless overridden), and a fresh throttle */
  context(overrides?: Partial<AccountsSettings>): Partial<TrpcContext>;
  /** the secret of the link in the nth e-mail to an address (waits for it) */
  tokenMailedTo(email: string, nth?: number): Promise<string>;
  close(): Promise<void>;
}

export const TEST_DASHBOARD_URL = "https://dashboard.example.test";

export async function startMailedAccounts(): Promise<MailedAccounts> {
  const inbox = await startSmtpInbox();
  const mailer = createSmtpMailer({ smtpUrl: inbox.url, from: "Platform <noreply@example.test>" });
  return {
    inbox,
    mailer,
    context: (overrides = {}) => ({
      accounts: { signup: "invite", mailer, dashboardUrl: TEST_DASHBOARD_URL, ...overrides },
      accountThrottle: createAccountThrottle(createMemoryRateLimiter({ clock: systemClock })),
    }),
    async tokenMailedTo(email, nth = 1) {
      const mailsTo = () => inbox.messages.filter((received) => received.to === email);
      await inbox.waitForMessage(() => mailsTo().length >= nth);
      return new URL(linksIn(mailsTo()[nth - 1] ?? { text: "" })[0] ?? "").hash.slice("#token=".length);
    },
    async close() {
      mailer.close();
      await inbox.close();
    },
  };
}
