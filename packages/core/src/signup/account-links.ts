import type { Mailer, MailMessage } from "../mail/mailer.ts";

/** The pages of the dashboard that take a link's secret. */
export type AccountLinkPage = "verify-email" | "reset-password";

/**
 * A link to one of the dashboard's account pages. The secret goes in the fragment, which
 * browsers never send: it stays out of servers' access logs, proxies and Referer headers; the
 * page reads it in the browser.
 */
export function accountLink(dashboardUrl: string, page: AccountLinkPage, token: string): string {
  return `${withoutTrailingSlashes(dashboardUrl)}/${page}#token=${token}`;
}

// a loop, not /\/+$/: that pattern retries from every slash of a long run (quadratic)
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === "/") end -= 1;
  return url.slice(0, end);
}

/** What a refused verification link is told, whatever the reason: unknown, used, expired or replaced. */
export const EXPIRED_LINK_MESSAGE =
  "This link has expired or was already used. Send a new one from Getting started.";

/** The same for a password-reset link, which is asked for again elsewhere. */
export const EXPIRED_RESET_LINK_MESSAGE =
  "This link has expired or was already used. Ask for a new one under Forgot your password? on the sign-in page.";

/**
 * Sends an account e-mail once the change it tells of is committed; false when there is no
 * mailer or the server did not take it (the person can ask again: nothing is lost).
 */
export async function sendAccountMail(
  mailer: Mailer | null,
  message: MailMessage,
  onFailure: (error: unknown) => void = () => {},
): Promise<boolean> {
  if (!mailer) return false;
  try {
    await mailer.send(message);
    return true;
  } catch (error) {
    onFailure(error);
    return false;
  }
}
