import type { ApiKeyAuthenticator, Clock, ProviderResolver } from "@dsc/core";
import type { Database } from "@dsc/db";
import type { Logger } from "pino";

/** Everything the gateway needs, built at start-up and passed in (tests pass real ones). */
export interface GatewayDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  authenticator: ApiKeyAuthenticator;
  providers: ProviderResolver;
}
