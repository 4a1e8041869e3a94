import type { Scope } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";

/** Who is calling the public API, once their credential has been verified. */
export interface Principal {
  kind: "api_key" | "oauth_client";
  /** the ApiKey or OAuthClient id */
  credentialId: string;
  organizationId: string;
  scopes: Scope[];
  /** the credential stops working at this time (key expiry, token expiry) */
  expiresAt: Date | null;
}

/** The caller as the audit log records it: its credential, from its address. */
export function actorOfPrincipal(principal: Principal, origin: string): Actor {
  return {
    type: principal.kind === "api_key" ? "API_KEY" : "OAUTH_CLIENT",
    id: principal.credentialId,
    origin,
  };
}
