import type { Database } from "@dsc/db";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import type { Clock } from "../time/clock.ts";
import type { HostLookup, WebhookAddressPolicy } from "./webhook-address-policy.ts";

/** What managing endpoints needs: the master keys seal their secrets; the policy checks URLs. */
export interface WebhookEndpointDeps {
  db: Database;
  clock: Clock;
  keyring: MasterKeyring;
  addressPolicy: WebhookAddressPolicy;
  /** the resolver that checks a URL's host at creation; the system's unless a test passes one */
  lookup?: HostLookup;
}
