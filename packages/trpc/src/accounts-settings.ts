import type { AccountThrottle } from "@dsc/core";
import type { AccountsSettings } from "./context.ts";

/** The server's accounts settings, or what the context's documentation promises without them. */
export function accountsOf(ctx: { accounts?: AccountsSettings }): AccountsSettings {
  return ctx.accounts ?? { signup: "invite", mailer: null, dashboardUrl: "http://localhost:3000" };
}

const UNCOUNTED: AccountThrottle = { spend: async () => {} };

/** The dashboard's account throttle; not counted where a test gives none. */
export function accountThrottleOf(ctx: { accountThrottle?: AccountThrottle | null }): AccountThrottle {
  return ctx.accountThrottle ?? UNCOUNTED;
}
