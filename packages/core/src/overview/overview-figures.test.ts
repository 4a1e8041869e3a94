import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createApiKey, revokeApiKey } from "../credentials/api-keys.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { insertUsageEvents } from "../usage/insert-usage-events.ts";
import type { UsageRecord } from "../usage/usage-writer.ts";
import { countActiveApiKeys } from "./count-active-api-keys.ts";
import { findOrganizationsNearestQuota, NEAREST_QUOTA_LISTED } from "./organizations-nearest-quota.ts";
import { summarizeTrafficToday } from "./summarize-traffic-today.ts";

const PEPPER = "overview-test-pepper-0123456789abcdef";
// 12:30 UTC: today so far is the hours 00 to 12, the last one half gone
const NOW = new Date("2026-01-15T12:30:00Z");

let t: TestDatabase;
let clock: ReturnType<typeof fakeClock>;
let acme: string;
let globex: string;

let sequence = 0;
function usage(organizationId: string, at: string, overrides: Partial<UsageRecord> = {}): UsageRecord {
  sequence += 1;
  return {
    requestId: `req_overview_${sequence}`,
    organizationId,
    apiKeyId: null,
    oauthClientId: null,
    modelId: "deepseek-chst-1.0",
    endpoint: "/v1/chat/completions",
    status: 200,
    latencyMs: 100,
    promptTokens: 10,
    completionTokens: 5,
    cached: false,
    endUserId: null,
    createdAt: new Date(at),
    ...overrides,
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  clock = fakeClock(NOW);
  const deps = { db: t.db, clock };
  acme = (await createOrganization(deps, { name: "Acme", tier: "free", actor: cliActor() })).id;
  globex = (await createOrganization(deps, { name: "Globex", tier: "pro", actor: cliActor() })).id;
  await insertUsageEvents(t.db, [
    // today: Acme 4 requests (1 error) in hours 00, 09 and 12; Globex 2 requests (1 error) in hour 12
    usage(acme, "2026-01-15T00:05:00Z"),
    usage(acme, "2026-01-15T09:10:00Z", { status: 429 }),
    usage(acme, "2026-01-15T09:50:00Z"),
    usage(acme, "2026-01-15T12:10:00Z"),
    usage(globex, "2026-01-15T12:20:00Z"),
    usage(globex, "2026-01-15T12:25:00Z", { status: 500 }),
    // yesterday before 12:30: Acme 2 requests (both errors), one of them in the part of hour 12
    usage(acme, "2026-01-14T03:00:00Z", { status: 400 }),
    usage(acme, "2026-01-14T12:29:00Z", { status: 503 }),
    // yesterday after 12:30, and the day before: not the same hours
    usage(acme, "2026-01-14T12:31:00Z"),
    usage(acme, "2026-01-14T18:00:00Z"),
    usage(acme, "2026-01-13T12:00:00Z"),
  ]);
});

describe("summarizeTrafficToday", () => {
  it("counts an organization's requests and errors today against the same hours yesterday", async () => {
    const traffic = await summarizeTrafficToday(
      { db: t.db, clock },
      { organizationId: acme, visibleTo: acme },
    );
    expect(traffic.since).toEqual(new Date("2026-01-15T00:00:00Z"));
    expect(traffic.today).toEqual({ requests: 4, errors: 1, errorRate: 0.25 });
    expect(traffic.sameHoursYesterday).toEqual({ requests: 2, errors: 2, errorRate: 1 });
  });

  it("lists every hour of today so far, hours without requests as zero, beside the same hour yesterday", async () => {
    const traffic = await summarizeTrafficToday(
      { db: t.db, clock },
      { organizationId: acme, visibleTo: null },
    );
    expect(traffic.hours).toHaveLength(13);
    expect(traffic.hours[0]).toEqual({
      start: new Date("2026-01-15T00:00:00Z"),
      requests: 1,
      errors: 0,
      requestsYesterday: 0,
    });
    expect(traffic.hours[3]).toMatchObject({ requests: 0, requestsYesterday: 1 });
    expect(traffic.hours[9]).toMatchObject({ requests: 2, errors: 1 });
    // the current hour yesterday, up to this minute only (12:29 counts, 12:31 does not)
    expect(traffic.hours[12]).toMatchObject({ requests: 1, requestsYesterday: 1 });
  });

  it("adds up every organization for the platform", async () => {
    const traffic = await summarizeTrafficToday(
      { db: t.db, clock },
      { organizationId: null, visibleTo: null },
    );
    expect(traffic.today).toEqual({ requests: 6, errors: 2, errorRate: 2 / 6 });
    expect(traffic.hours[12]).toMatchObject({ requests: 3, errors: 1 });
  });

  it("has no error rate without requests", async () => {
    const quiet = (
      await createOrganization({ db: t.db, clock }, { name: "Quiet", tier: "free", actor: cliActor() })
    ).id;
    const traffic = await summarizeTrafficToday(
      { db: t.db, clock },
      { organizationId: quiet, visibleTo: quiet },
    );
    expect(traffic.today).toEqual({ requests: 0, errors: 0, errorRate: null });
    expect(traffic.hours.every((hour) => hour.requests === 0 && hour.requestsYesterday === 0)).toBe(true);
  });

  it("refuses another organization than the one visible to a developer, as not found", async () => {
    await expect(
      summarizeTrafficToday({ db: t.db, clock }, { organizationId: globex, visibleTo: acme }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("at midnight, reads an empty yesterday instead of failing on an empty range", async () => {
    const midnight = fakeClock(new Date("2026-01-16T00:00:10Z"));
    const traffic = await summarizeTrafficToday(
      { db: t.db, clock: midnight },
      { organizationId: acme, visibleTo: null },
    );
    expect(traffic.hours).toHaveLength(1);
    expect(traffic.today.requests).toBe(0);
  });
});

describe("findOrganizationsNearestQuota", () => {
  it("gives one organization's tokens this month against its tier's quota, and one without a quota", async () => {
    const [own] = await findOrganizationsNearestQuota({ db: t.db, clock }, { organizationId: acme });
    // this month's 9 events of 15 tokens each (the 13th's too)
    expect(own).toEqual({
      organizationId: acme,
      name: "Acme",
      tierName: expect.any(String),
      tokensThisMonth: 135,
      monthlyTokenQuota: 1_000_000,
      share: 135 / 1_000_000,
    });
    const [unlimited] = await findOrganizationsNearestQuota({ db: t.db, clock }, { organizationId: globex });
    expect(unlimited).toMatchObject({ tokensThisMonth: 30, monthlyTokenQuota: null, share: null });
  });

  it("lists the platform's organizations that used the largest share of their quota, at most five", async () => {
    const deps = { db: t.db, clock };
    const heavy: string[] = [];
    for (const [index, tokens] of [900_000, 10, 500_000, 700_000, 100_000, 300_000].entries()) {
      const id = (await createOrganization(deps, { name: `Heavy ${index}`, tier: "free", actor: cliActor() }))
        .id;
      heavy.push(id);
      await insertUsageEvents(t.db, [
        usage(id, "2026-01-10T08:00:00Z", { promptTokens: tokens, completionTokens: 0 }),
        // last month's does not count
        usage(id, "2025-12-31T23:59:00Z", { promptTokens: 999_999, completionTokens: 0 }),
      ]);
    }
    const nearest = await findOrganizationsNearestQuota(deps, { organizationId: null });
    expect(nearest).toHaveLength(NEAREST_QUOTA_LISTED);
    expect(nearest.map((row) => row.organizationId)).toEqual([
      heavy[0],
      heavy[3],
      heavy[2],
      heavy[5],
      heavy[4],
    ]);
    expect(nearest[0]).toMatchObject({ tokensThisMonth: 900_000, share: 0.9 });
    // an organization without a quota is never "near" it
    expect(nearest.map((row) => row.organizationId)).not.toContain(globex);
  });
});

describe("countActiveApiKeys", () => {
  it("counts the keys that work now, of one organization or of all", async () => {
    const deps = { db: t.db, clock, pepper: PEPPER };
    const before = await countActiveApiKeys(deps, { organizationId: null });
    await createApiKey(deps, { organizationId: acme, actor: cliActor() });
    const revoked = await createApiKey(deps, { organizationId: acme, actor: cliActor() });
    await revokeApiKey(deps, { apiKeyId: revoked.key.id, actor: cliActor() });
    await createApiKey(deps, { organizationId: acme, expiresInMs: 1_000, actor: cliActor() });
    await createApiKey(deps, { organizationId: globex, actor: cliActor() });
    expect(await countActiveApiKeys(deps, { organizationId: acme })).toBe(2);
    clock.advance(1_000);
    expect(await countActiveApiKeys(deps, { organizationId: acme })).toBe(1);
    expect(await countActiveApiKeys(deps, { organizationId: globex })).toBe(1);
    expect(await countActiveApiKeys(deps, { organizationId: null })).toBe(before + 2);
    clock.set(NOW);
  });
});
