import type { AccountThrottle, Mailer, SignupPolicy } from "@dsc/core";
import type { TrpcContext } from "../context.ts";

const UNCOUNTED: AccountThrottle = { spend: async () => {} };

/**
 * What sign-up, verification and password reset need of the context: the dashboard's settings,
 * or where a test gives none, invitation only, no e-mail and links to localhost.
 */
export function accountsOf(ctx: TrpcContext): {
  signup: SignupPolicy;
  mailer: Mailer | null;
  dashboardUrl: string;
  throttle: AccountThrottle;
  onMailFailure: (error: unknown) => void;
} {
  const accounts = ctx.accounts ?? { signup: "invite", mailer: null, dashboardUrl: "http://localhost:3000" };
  return { ...accounts, throttle: ctx.accountThrottle ?? UNCOUNTED, onMailFailure: reportMailFailure };
}

/** An e-mail nobody waits for did not go out: the operator hears why (never the link). */
function reportMailFailure(error: unknown): void {
  console.error("An account e-mail was not sent:", error instanceof Error ? error.message : String(error));
}
