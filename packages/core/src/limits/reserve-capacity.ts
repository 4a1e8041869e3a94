import type { Database } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { isTraced, withSpan } from "../tracing/spans.ts";
import { sumMonthlyTokens, usagePeriod } from "../usage/monthly-token-usage.ts";
import type { CallerLimits } from "./caller-limits.ts";
import { formatDuration } from "./format-duration.ts";
import type { LimitVerdict, RateLimitCharge, RateLimitDecision, RateLimiter } from "./rate-limiter.ts";

export interface LimitDeps {
  db: Database;
  limiter: RateLimiter;
  clock: Clock;
}

const MINUTE_MS = 60_000;
/**
 * How long a quota counter lives in the store before it is seeded from the database again.
 * It bounds the drift of the running total (usage recorded while the counter lived elsewhere,
 * e.g. during a Redis outage) at the cost of one aggregate query per organization per period.
 */
export const QUOTA_RESYNC_MS = 10 * 60_000;

export interface CapacityGrant {
  allowed: true;
  /** the binding request limit (the tightest of the organization's and the key's) */
  requests: RateLimitDecision;
  /** the binding token limit, when one applies to this call */
  tokens: RateLimitDecision | null;
  reservation: TokenReservation;
}

export interface CapacityRefusal {
  allowed: false;
  requests: RateLimitDecision | null;
  tokens: RateLimitDecision | null;
  /** `rate_limited` (retry later) or `quota_exceeded` (not before the month ends) */
  error: DomainError;
  /** the true time until a retry would pass; null when no retry would (quota, request too large) */
  retryAfterMs: number | null;
}

/**
 * Spends one request and reserves `tokens` (the call's estimate) against the caller's
 * organization and key, and checks the monthly token quota, in one limiter check. A refusal
 * spends nothing. The grant's reservation is settled with the real count once it is known.
 */
export function reserveCapacity(
  deps: LimitDeps,
  input: { limits: CallerLimits; tokens: number },
): Promise<CapacityGrant | CapacityRefusal> {
  if (!isTraced()) return decideCapacity(deps, input);
  return withSpan("rate limits", undefined, async (span) => {
    const outcome = await decideCapacity(deps, input);
    span?.setAttribute("dsc.rate_limit.allowed", outcome.allowed);
    return outcome;
  });
}

async function decideCapacity(
  deps: LimitDeps,
  input: { limits: CallerLimits; tokens: number },
): Promise<CapacityGrant | CapacityRefusal> {
  const { limits } = input;
  const requestCharges = requestChargesOf(limits);
  const tokenCharges = input.tokens > 0 ? tokenChargesOf(limits, input.tokens) : [];
  const charges = [...requestCharges, ...tokenCharges];
  const now = deps.clock.now();
  const quotaLimit = limits.tier.monthlyTokenQuota;
  // the estimate counts against the quota while the call runs, so that concurrent calls see it
  const quota =
    quotaLimit === null
      ? null
      : { key: quotaKey(limits.organizationId, now), limit: quotaLimit, reserve: input.tokens };

  let verdict: LimitVerdict = await deps.limiter.check({ charges, quota });
  let isQuotaReserved = quota !== null;
  if (quota && verdict.quota?.state === "unseeded") {
    const used = await sumMonthlyTokens(deps.db, { organizationId: limits.organizationId, at: now });
    await deps.limiter.seedQuota(quota.key, used, QUOTA_RESYNC_MS);
    verdict = await deps.limiter.check({ charges, quota });
    // only if the counter vanished again at once: decide the quota from the sum just read
    if (verdict.quota?.state === "unseeded") {
      verdict = await deps.limiter.check({ charges, quota: null });
      isQuotaReserved = false;
      if (used >= quota.limit) verdict = { ...verdict, quota: { state: "exhausted", used } };
    }
  }

  const requests = binding(verdict.decisions.slice(0, requestCharges.length));
  const tokens = binding(verdict.decisions.slice(requestCharges.length));
  if (verdict.quota?.state === "exhausted" && quotaLimit !== null) {
    if (verdict.allowed) await deps.limiter.adjust(charges.map((c) => ({ ...c, cost: -c.cost })));
    const renews = usagePeriod(now).end.toISOString().slice(0, 10);
    return {
      allowed: false,
      requests,
      tokens,
      retryAfterMs: null,
      error: new DomainError(
        "quota_exceeded",
        `You exceeded your monthly token quota (${quotaLimit} tokens) for organization ${limits.organizationId}. ` +
          `It renews on ${renews} (UTC); ask an admin for a larger tier.`,
        null,
        "insufficient_quota",
      ),
    };
  }
  if (!verdict.allowed) return refusal(limits, charges, verdict.decisions, requests, tokens);
  return {
    allowed: true,
    requests: requests as RateLimitDecision,
    tokens,
    reservation: createTokenReservation(deps, {
      organizationId: limits.organizationId,
      tokens: input.tokens,
      charges: tokenCharges,
      quotaReserved: isQuotaReserved ? Math.max(0, Math.round(input.tokens)) : 0,
      reservedAt: now,
    }),
  };
}

/**
 * Tokens reserved for one call. `settle` replaces the estimate with the real count: the
 * difference goes back to (or is taken from) the token buckets, and the count is added to the
 * month's quota counter. Only the first call counts, so every way a response can end may
 * settle without double counting.
 */
export interface TokenReservation {
  readonly organizationId: string;
  readonly tokens: number;
  readonly settled: boolean;
  settle(usedTokens: number): Promise<void>;
}

export function createTokenReservation(
  deps: { limiter: RateLimiter; clock: Clock },
  input: {
    organizationId: string;
    tokens: number;
    charges: readonly RateLimitCharge[];
    /** tokens the check already added to the month's counter (the estimate), corrected here */
    quotaReserved?: number;
    /** when the check counted the estimate: its month gets it back, even if the month ended since */
    reservedAt?: Date;
  },
): TokenReservation {
  let isSettled = false;
  const reservedIn = quotaKey(input.organizationId, input.reservedAt ?? deps.clock.now());
  return {
    organizationId: input.organizationId,
    tokens: input.tokens,
    get settled() {
      return isSettled;
    },
    async settle(usedTokens: number) {
      if (isSettled) return;
      isSettled = true;
      const used = Math.max(0, Math.round(usedTokens));
      const corrections = input.charges.map((charge) => ({ ...charge, cost: used - input.tokens }));
      // the counter is kept up to date even when the tier has no quota: a quota set later this
      // month then starts from the right total
      const key = quotaKey(input.organizationId, deps.clock.now());
      const reserved = input.quotaReserved ?? 0;
      // a call that ran over the month's end gives its estimate back to the month it reserved in
      if (reserved > 0 && key !== reservedIn)
        await deps.limiter.adjust([], { key: reservedIn, delta: -reserved });
      const delta = key === reservedIn ? used - reserved : used;
      await deps.limiter.adjust(corrections, delta !== 0 ? { key, delta } : null);
    },
  };
}

function requestChargesOf(limits: CallerLimits): RateLimitCharge[] {
  const org = limits.organizationId;
  const charges: RateLimitCharge[] = [
    { key: `rl:{${org}}:req`, rule: { limit: limits.tier.requestsPerMinute, windowMs: MINUTE_MS }, cost: 1 },
  ];
  const own = limits.key.requestsPerMinute;
  if (limits.apiKeyId && own !== null && own < limits.tier.requestsPerMinute) {
    charges.push({
      key: `rl:{${org}}:key:${limits.apiKeyId}:req`,
      rule: { limit: Math.max(1, own), windowMs: MINUTE_MS },
      cost: 1,
    });
  }
  return charges;
}

function tokenChargesOf(limits: CallerLimits, tokens: number): RateLimitCharge[] {
  const org = limits.organizationId;
  const charges: RateLimitCharge[] = [];
  const tier = limits.tier.tokensPerMinute;
  if (tier !== null) {
    charges.push({ key: `rl:{${org}}:tok`, rule: { limit: tier, windowMs: MINUTE_MS }, cost: tokens });
  }
  const own = limits.key.tokensPerMinute;
  if (limits.apiKeyId && own !== null && (tier === null || own < tier)) {
    charges.push({
      key: `rl:{${org}}:key:${limits.apiKeyId}:tok`,
      rule: { limit: Math.max(1, own), windowMs: MINUTE_MS },
      cost: tokens,
    });
  }
  return charges;
}

export function quotaKey(organizationId: string, at: Date): string {
  return `quota:{${organizationId}}:${usagePeriod(at).id}`;
}

/** The decision that binds: a refused one first, then the fewest units left, then the longest reset. */
function binding(decisions: readonly RateLimitDecision[]): RateLimitDecision | null {
  let best: RateLimitDecision | null = null;
  for (const decision of decisions) {
    if (
      best === null ||
      (best.allowed && !decision.allowed) ||
      (best.allowed === decision.allowed &&
        (decision.remaining < best.remaining ||
          (decision.remaining === best.remaining && decision.resetMs > best.resetMs)))
    ) {
      best = decision;
    }
  }
  return best;
}

function refusal(
  limits: CallerLimits,
  charges: readonly RateLimitCharge[],
  decisions: readonly RateLimitDecision[],
  requests: RateLimitDecision | null,
  tokens: RateLimitDecision | null,
): CapacityRefusal {
  // the refused charge that lasts longest decides the message and Retry-After
  let charge = charges[0] as RateLimitCharge;
  let decision = decisions[0] as RateLimitDecision;
  let found = false;
  for (const [i, candidate] of charges.entries()) {
    const candidateDecision = decisions[i];
    if (!candidateDecision || candidateDecision.allowed) continue;
    if (!found || candidateDecision.retryAfterMs > decision.retryAfterMs) {
      charge = candidate;
      decision = candidateDecision;
      found = true;
    }
  }
  const unit = charge.key.endsWith(":tok") ? "tokens per min (TPM)" : "requests per min (RPM)";
  const scope = charge.key.includes(":key:")
    ? `API key ${limits.apiKeyId}`
    : `organization ${limits.organizationId}`;
  const tooLarge = charge.cost > charge.rule.limit;
  const message = tooLarge
    ? `Request too large for ${unit} on ${scope}: Limit ${charge.rule.limit}, Requested ${charge.cost}. ` +
      "Shorten the messages or lower max_tokens."
    : `Rate limit reached for ${unit} on ${scope}: Limit ${charge.rule.limit}, ` +
      `Used ${charge.rule.limit - decision.remaining}, Requested ${charge.cost}. ` +
      `Please try again in ${formatDuration(decision.retryAfterMs)}.`;
  return {
    allowed: false,
    requests,
    tokens,
    retryAfterMs: tooLarge ? null : decision.retryAfterMs,
    error: new DomainError("rate_limited", message, null, "rate_limit_exceeded"),
  };
}
