import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import type { Principal } from "../credentials/principal.ts";
import { loadOrganizationSnapshot } from "../organizations/organization-snapshot.ts";
import { type CallerLimits, callerLimitsOf } from "./caller-limits.ts";
import { createMemoryRateLimiter } from "./memory-rate-limiter.ts";
import type { RateLimiter } from "./rate-limiter.ts";
import { type CapacityRefusal, quotaKey, reserveCapacity } from "./reserve-capacity.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

const unique = () => randomBytes(5).toString("hex");

async function tier(limits: { rpm: number; tpm?: number | null; quota?: number | null }) {
  const slug = `t-${unique()}`;
  return t.db.tier.create({
    data: {
      id: `tier_${slug}`,
      slug,
      name: slug,
      requestsPerMinute: limits.rpm,
      tokensPerMinute: limits.tpm ?? null,
      monthlyTokenQuota: limits.quota === undefined || limits.quota === null ? null : BigInt(limits.quota),
      maxFileBytes: 1024n,
      isCustom: true,
    },
  });
}

async function org(
  tierId: string,
  settings: { responseCacheEnabled?: boolean; dataCollectionOptOut?: boolean } = {},
) {
  return t.db.organization.create({ data: { id: `org_${unique()}`, name: "Limits", tierId, ...settings } });
}

async function key(organizationId: string, own: { rpm?: number; tpm?: number } = {}): Promise<Principal> {
  const created = await t.db.apiKey.create({
    data: {
      id: `key_${unique()}`,
      organizationId,
      name: "k",
      hash: unique() + unique(),
      prefix: "sk-…",
      scopes: ["chat"],
      requestsPerMinute: own.rpm ?? null,
      tokensPerMinute: own.tpm ?? null,
    },
  });
  return { kind: "api_key", credentialId: created.id, organizationId, scopes: ["chat"], expiresAt: null };
}

/** the caller's limits as the gateway sees them: from a freshly read organization snapshot */
async function loadCallerLimits(principal: Principal): Promise<CallerLimits | null> {
  const organization = await loadOrganizationSnapshot(t.db, principal.organizationId);
  return organization && callerLimitsOf(organization, principal);
}

async function limitsOf(principal: Principal): Promise<CallerLimits> {
  const limits = await loadCallerLimits(principal);
  if (!limits) throw new Error("no limits");
  return limits;
}

function setup() {
  const clock = fakeClock(new Date("2026-03-15T12:00:00Z"));
  return { clock, deps: { db: t.db, clock, limiter: createMemoryRateLimiter({ clock }) } };
}

describe("callerLimitsOf an organization snapshot", () => {
  it("reads the tier, the key's own limits and the cache settings in one go", async () => {
    const plan = await tier({ rpm: 30, tpm: 9_000, quota: 1_000_000 });
    const o = await org(plan.id);
    const principal = await key(o.id, { rpm: 3 });
    expect(await loadCallerLimits(principal)).toEqual({
      organizationId: o.id,
      apiKeyId: principal.credentialId,
      tier: { requestsPerMinute: 30, tokensPerMinute: 9_000, monthlyTokenQuota: 1_000_000 },
      key: { requestsPerMinute: 3, tokensPerMinute: null },
      isResponseCacheAllowed: true,
    });
  });

  it("never allows caching for organizations that turned it off or opted out of data collection", async () => {
    const plan = await tier({ rpm: 30 });
    for (const settings of [{ responseCacheEnabled: false }, { dataCollectionOptOut: true }]) {
      const o = await org(plan.id, settings);
      expect((await limitsOf(await key(o.id))).isResponseCacheAllowed).toBe(false);
    }
  });

  it("ignores key limits for other credentials and for keys of other organizations", async () => {
    const plan = await tier({ rpm: 30 });
    const mine = await org(plan.id);
    const other = await org(plan.id);
    const othersKey = await key(other.id, { rpm: 1 });
    const asOAuth: Principal = { ...othersKey, kind: "oauth_client", organizationId: mine.id };
    expect((await limitsOf(asOAuth)).key).toEqual({ requestsPerMinute: null, tokensPerMinute: null });
    expect((await limitsOf({ ...othersKey, organizationId: mine.id })).key.requestsPerMinute).toBeNull();
    expect(await loadCallerLimits({ ...othersKey, organizationId: "org_gone" })).toBeNull();
  });
});

describe("reserveCapacity", () => {
  it("shares the tier's request limit between every key of the organization", async () => {
    const { deps } = setup();
    const o = await org((await tier({ rpm: 3 })).id);
    const [a, b] = [await limitsOf(await key(o.id)), await limitsOf(await key(o.id))];
    const outcomes = [];
    for (const limits of [a, b, a, b]) outcomes.push(await reserveCapacity(deps, { limits, tokens: 0 }));
    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, false]);
    const refused = outcomes[3] as CapacityRefusal;
    expect(refused.error).toMatchObject({ code: "rate_limited", reason: "rate_limit_exceeded" });
    expect(refused.error.message).toMatch(/requests per min \(RPM\) on organization org_.*Limit 3, Used 3/);
    expect(refused.retryAfterMs).toBe(20_000);
    expect(refused.requests).toMatchObject({ limit: 3, remaining: 0 });
  });

  it("applies a key's own lower limit to that key only", async () => {
    const { deps } = setup();
    const o = await org((await tier({ rpm: 10 })).id);
    const strict = await limitsOf(await key(o.id, { rpm: 2 }));
    const loose = await limitsOf(await key(o.id, { rpm: 50 })); // never looser than the tier
    const strictOutcomes = [];
    for (let i = 0; i < 3; i++)
      strictOutcomes.push(await reserveCapacity(deps, { limits: strict, tokens: 0 }));
    expect(strictOutcomes.map((o) => o.allowed)).toEqual([true, true, false]);
    expect((strictOutcomes[2] as CapacityRefusal).error.message).toMatch(/on API key key_/);
    expect(strictOutcomes[1]).toMatchObject({ requests: { limit: 2, remaining: 0 } });
    const looseOutcomes = [];
    for (let i = 0; i < 9; i++) looseOutcomes.push(await reserveCapacity(deps, { limits: loose, tokens: 0 }));
    // the organization's 10 are shared: 2 went to the strict key
    expect(looseOutcomes.filter((o) => o.allowed)).toHaveLength(8);
  });

  it("takes a tier change into account on the next request", async () => {
    const { deps } = setup();
    const o = await org((await tier({ rpm: 2 })).id);
    const principal = await key(o.id);
    for (let i = 0; i < 2; i++) await reserveCapacity(deps, { limits: await limitsOf(principal), tokens: 0 });
    expect((await reserveCapacity(deps, { limits: await limitsOf(principal), tokens: 0 })).allowed).toBe(
      false,
    );
    await t.db.organization.update({ where: { id: o.id }, data: { tierId: (await tier({ rpm: 60 })).id } });
    const next = await reserveCapacity(deps, { limits: await limitsOf(principal), tokens: 0 });
    expect(next).toMatchObject({ allowed: true, requests: { limit: 60, remaining: 57 } });
  });

  it("reserves the estimate, and settling gives back what was not used", async () => {
    const { deps } = setup();
    const o = await org((await tier({ rpm: 100, tpm: 1_000 })).id);
    const limits = await limitsOf(await key(o.id));
    const first = await reserveCapacity(deps, { limits, tokens: 800 });
    expect(first).toMatchObject({ allowed: true, tokens: { limit: 1_000, remaining: 200 } });
    const second = await reserveCapacity(deps, { limits, tokens: 300 });
    expect(second).toMatchObject({ allowed: false, tokens: { remaining: 200 }, retryAfterMs: 6_000 });
    expect((second as CapacityRefusal).error.message).toMatch(/tokens per min \(TPM\).*Requested 300/);
    if (!first.allowed) throw new Error("unreachable");
    await first.reservation.settle(100);
    await first.reservation.settle(0); // settles once
    expect(await reserveCapacity(deps, { limits, tokens: 300 })).toMatchObject({
      allowed: true,
      tokens: { remaining: 600 },
    });
  });

  it("refuses a request larger than the token limit without a retry time", async () => {
    const { deps } = setup();
    const o = await org((await tier({ rpm: 100, tpm: 1_000 })).id);
    const refused = await reserveCapacity(deps, { limits: await limitsOf(await key(o.id)), tokens: 1_500 });
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: null });
    expect((refused as CapacityRefusal).error.message).toMatch(
      /Request too large .* Limit 1000, Requested 1500/,
    );
  });

  it("seeds the monthly quota from this month's usage and refuses once it is used up", async () => {
    const { clock, deps } = setup();
    const o = await org((await tier({ rpm: 100, quota: 1_000 })).id);
    const limits = await limitsOf(await key(o.id));
    const event = {
      requestId: "req_x",
      organizationId: o.id,
      endpoint: "/v1/chat/completions",
      status: 200,
      latencyMs: 1,
    };
    await t.db.usageEvent.createMany({
      data: [
        { ...event, promptTokens: 500, completionTokens: 490, createdAt: new Date("2026-03-01T00:00:00Z") },
        // last month's does not count
        { ...event, promptTokens: 5_000, completionTokens: 0, createdAt: new Date("2026-02-28T23:59:59Z") },
      ],
    });
    const granted = await reserveCapacity(deps, { limits, tokens: 0 });
    if (!granted.allowed) throw new Error(`refused: ${granted.error.message}`);
    await granted.reservation.settle(10); // 990 + 10 = 1000: used up
    const refused = await reserveCapacity(deps, { limits, tokens: 0 });
    expect(refused).toMatchObject({
      allowed: false,
      retryAfterMs: null,
      error: { code: "quota_exceeded", reason: "insufficient_quota" },
    });
    expect((refused as CapacityRefusal).error.message).toMatch(/renews on 2026-04-01/);
    // a refusal for quota spends no request
    expect(refused.requests).toMatchObject({ remaining: 99 });
    // a new month starts afresh
    clock.set(new Date("2026-04-01T00:00:00Z"));
    expect((await reserveCapacity(deps, { limits, tokens: 0 })).allowed).toBe(true);
  });
});

describe("the monthly quota and calls in flight", () => {
  it("counts the reservations of calls that have not settled, so concurrent calls cannot overshoot it", async () => {
    const { deps } = setup();
    const o = await org((await tier({ rpm: 100, quota: 1_000 })).id);
    const limits = await limitsOf(await key(o.id));
    // five streams of 400 tokens each start together; none has ended
    const attempts = await Promise.all(
      Array.from({ length: 5 }, () => reserveCapacity(deps, { limits, tokens: 400 })),
    );
    expect(attempts.filter((attempt) => attempt.allowed)).toHaveLength(3);
    for (const refused of attempts.filter((attempt) => !attempt.allowed)) {
      expect(refused).toMatchObject({ error: { code: "quota_exceeded" } });
    }

    // they settle with what they used: 100 each, so 300 of 1,000 are used and calls pass again
    for (const attempt of attempts) if (attempt.allowed) await attempt.reservation.settle(100);
    const next = await reserveCapacity(deps, { limits, tokens: 400 });
    expect(next.allowed).toBe(true);
    if (next.allowed) await next.reservation.settle(0);
    const used = await reserveCapacity(deps, { limits, tokens: 700 });
    expect(used.allowed).toBe(true);
    if (used.allowed) await used.reservation.settle(700);
    expect((await reserveCapacity(deps, { limits, tokens: 1 })).allowed).toBe(false);
  });
});

describe("a call that runs over the month's end", () => {
  it("gives its estimate back to the month whose counter took it, even when the month turned during the check", async () => {
    const clock = fakeClock(new Date("2026-03-31T23:59:59.990Z"));
    const memory = createMemoryRateLimiter({ clock });
    // the store's round trip ends after midnight, as a Redis answer can
    const limiter: RateLimiter = {
      ...memory,
      check: async (request) => {
        const verdict = await memory.check(request);
        clock.set(new Date("2026-04-01T00:00:00.005Z"));
        return verdict;
      },
    };
    const deps = { db: t.db, clock, limiter };
    const o = await org((await tier({ rpm: 100, quota: 1_000 })).id);
    const limits = await limitsOf(await key(o.id));
    const granted = await reserveCapacity(deps, { limits, tokens: 900 });
    if (!granted.allowed) throw new Error(`refused: ${granted.error.message}`);
    // April's counter exists (another call seeded it at midnight), so it can take the 50 used
    await memory.seedQuota(quotaKey(o.id, clock.now()), 0, 60_000);
    await granted.reservation.settle(50);

    // March got its 900 back; April holds the 50 used
    clock.set(new Date("2026-03-31T23:59:59.999Z"));
    const march = await memory.check({
      charges: [],
      quota: { key: quotaKey(o.id, clock.now()), limit: 1_000, reserve: 0 },
    });
    expect(march.quota).toEqual({ state: "ok", used: 0 });
    clock.set(new Date("2026-04-01T00:00:01Z"));
    const april = await memory.check({
      charges: [],
      quota: { key: quotaKey(o.id, clock.now()), limit: 1_000, reserve: 0 },
    });
    expect(april.quota).toEqual({ state: "ok", used: 50 });
  });
});
