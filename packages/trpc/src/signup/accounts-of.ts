import type { AccountThrottle, Mailer, SignupPolicy } from "@dsc/core";
import { accountThrottleOf, accountsOf as settingsOf } from "../accounts-settings.ts";
import type { TrpcContext } from "../context.ts";

/**
 * What sign-up, verification and password reset need of the context: the dashboard's settings
 * (see accounts-settings.ts for what stands in where a test gives none), the throttle, and who
 * hears of an e-mail that did not go out.
 */
export function accountsOf(ctx: TrpcContext): {
  signup: SignupPolicy;
  mailer: Mailer | null;
  dashboardUrl: string;
  throttle: AccountThrottle;
  onMailFailure: (error: unknown) => void;
} {
  return { ...settingsOf(ctx), throttle: accountThrottleOf(ctx), onMailFailure: reportMailFailure };
}

/** An e-mail nobody waits for did not go out: the operator hears why (never the link). */
function reportMailFailure(error: unknown): void {
  console.error("An account e-mail was not sent:", error instanceof Error ? error.message : String(error));
}
