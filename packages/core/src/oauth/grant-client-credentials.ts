import type { Database } from "@dsc/db";
import { isScope, type Scope } from "@dsc/vocabulary";
import type { LastUsedRecorder } from "../credentials/last-used-recorder.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { RateLimitCharge, RateLimiter, RateLimitRule } from "../limits/rate-limiter.ts";
import { addressBudgetKey } from "../proxies/address-budget.ts";
import type { Clock } from "../time/clock.ts";
import { type AccessTokenSettings, issueAccessToken } from "./access-token.ts";
import type { SigningKeyRing } from "./signing-key-ring.ts";
import { looksLikeClientId, verifyClientSecret } from "./verify-client-secret.ts";

/**
 * How many failed client authentications are tolerated before the token endpoint refuses.
 * Both budgets belong to the caller's address, never to the client id alone: a budget of the
 * client id would let anyone who knows the id (it is no secret) lock the client out by
 * failing on purpose, while its right secret from its own address must keep working.
 */
export interface BruteForceRules {
  /** failures for one client id from one address */
  perClientAndAddress: RateLimitRule;
  /** failures from one address, whatever the client ids */
  perAddress: RateLimitRule;
}

export const DEFAULT_BRUTE_FORCE_RULES: BruteForceRules = {
  perClientAndAddress: { limit: 10, windowMs: 60_000 },
  perAddress: { limit: 30, windowMs: 60_000 },
};

/** What the token endpoint needs besides the database and the clock, built once at start-up. */
export interface AuthorizationServer {
  keys: SigningKeyRing;
  tokens: AccessTokenSettings;
  /** the HMAC key of stored secrets (API_KEY_PEPPER) */
  pepper: string;
  /** counts failed client authentications; shared by all instances when it is Redis */
  limiter: RateLimiter;
  lastUsed?: LastUsedRecorder | null;
  bruteForce?: BruteForceRules;
}

export interface ClientCredentialsInput {
  clientId: string;
  clientSecret: string;
  /** RFC 6749 §3.3: space-delimited; absent or empty = every scope the client has */
  scope?: string | null;
  /** the caller's IP address */
  origin: string;
}

export interface ClientCredentialsGrant {
  accessToken: string;
  tokenType: "Bearer";
  /** seconds */
  expiresIn: number;
  expiresAt: Date;
  /** the scopes granted, space-delimited */
  scope: string;
}

/** Too many failed client authentications from this address (for this client, or in all). */
export class ClientAuthenticationThrottled extends DomainError {
  constructor(readonly retryAfterMs: number) {
    super(
      "rate_limited",
      `Too many failed client authentications. Retry in ${Math.ceil(retryAfterMs / 1000)} s.`,
      null,
      "slow_down",
    );
  }
}

/**
 * The client credentials grant (RFC 6749 §4.4): authenticates the client, narrows the scopes
 * to those asked for, and signs an access token. Every attempt spends from its address's
 * budget and from the budget of the (client id, address) pair, atomically and before the
 * secret is checked, so that concurrent guesses cannot all pass one check; a successful
 * attempt gets both back, so only failures add up. Failures elsewhere never touch the budgets
 * of a client's own address. Errors carry their OAuth code as the reason: `invalid_client`
 * (401), `invalid_scope` (400), `slow_down` (429).
 */
export async function grantClientCredentials(
  deps: { db: Database; clock: Clock } & AuthorizationServer,
  input: ClientCredentialsInput,
): Promise<ClientCredentialsGrant> {
  const rules = deps.bruteForce ?? DEFAULT_BRUTE_FORCE_RULES;
  const address = addressBudgetKey(input.origin);
  const charges: RateLimitCharge[] = [{ key: `oauth-auth:addr:${address}`, rule: rules.perAddress, cost: 1 }];
  // ids that cannot exist need no budget of their own (and would only fill the limiter)
  if (looksLikeClientId(input.clientId)) {
    charges.push({
      key: `oauth-auth:client-addr:${input.clientId}:${address}`,
      rule: rules.perClientAndAddress,
      cost: 1,
    });
  }
  const verdict = await deps.limiter.check({ charges });
  if (!verdict.allowed) {
    throw new ClientAuthenticationThrottled(Math.max(0, ...verdict.decisions.map((d) => d.retryAfterMs)));
  }

  const client = await verifyClientSecret(deps, input);
  if (!client) {
    throw new DomainError("unauthenticated", "Client authentication failed.", null, "invalid_client");
  }
  await deps.limiter.adjust(charges.map((charge) => ({ ...charge, cost: -charge.cost })));

  const scopes = grantedScopes(client.scopes.filter(isScope), input.scope);
  const issued = await issueAccessToken(deps, {
    clientId: client.id,
    organizationId: client.organizationId,
    scopes,
    notAfter: client.expiresAt,
  });
  deps.lastUsed?.recordOAuthClientUse(client.id);
  return {
    accessToken: issued.token,
    tokenType: "Bearer",
    expiresIn: issued.expiresIn,
    expiresAt: issued.expiresAt,
    scope: scopes.join(" "),
  };
}

function grantedScopes(allowed: Scope[], requested: string | null | undefined): Scope[] {
  const asked = [...new Set((requested ?? "").split(" ").filter(Boolean))];
  if (asked.length === 0) return allowed;
  const refused = asked.filter((scope) => !(allowed as string[]).includes(scope));
  if (refused.length > 0) {
    throw new DomainError(
      "invalid",
      `The requested scope is not granted to this client: ${refused.join(" ")}.`,
      "scope",
      "invalid_scope",
    );
  }
  return asked as Scope[];
}
