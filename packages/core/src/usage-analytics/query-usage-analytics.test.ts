import { randomBytes } from "node:crypto";
import { USAGE_OTHER_GROUP } from "@dsc/vocabulary";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { usageRollupEraser } from "../compliance/subject-eraser.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { insertUsageEvents } from "../usage/insert-usage-events.ts";
import { LATENCY_BOUNDS_MS } from "../usage/usage-rollups.ts";
import type { UsageRecord } from "../usage/usage-writer.ts";
import { queryUsageAnalytics, type UsageAnalyticsQuery } from "./query-usage-analytics.ts";
import { latencyPercentile } from "./usage-figures.ts";

let t: TestDatabase;
let big: string;
let small: string;
let freeTier: string;
const DAY = 86_400_000;
const start = new Date("2026-04-01T00:00:00Z");

function usage(organizationId: string, fields: Partial<UsageRecord>): UsageRecord {
  return {
    requestId: `req_${randomBytes(6).toString("hex")}`,
    organizationId,
    apiKeyId: null,
    oauthClientId: null,
    modelId: null,
    endpoint: "/v1/chat/completions",
    status: 200,
    latencyMs: 100,
    promptTokens: 1,
    completionTokens: 1,
    cached: false,
    endUserId: null,
    createdAt: start,
    ...fields,
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  const deps = { db: t.db, clock: fakeClock() };
  big = (await createOrganization(deps, { name: "Big", tier: "pro", actor: cliActor() })).id;
  small = (await createOrganization(deps, { name: "Small", tier: "free", actor: cliActor() })).id;
  freeTier = (await t.db.tier.findUniqueOrThrow({ where: { slug: "free" } })).id;
  await t.db.model.create({
    data: { id: "priced", provider: "LOCAL", inputPricePerMTokens: 2, outputPricePerMTokens: 10 },
  });
  // big: key i makes i + 1 requests on day i % 3, by end user i % 4
  const records: UsageRecord[] = [];
  for (let i = 0; i < 12; i += 1) {
    for (let n = 0; n <= i; n += 1) {
      records.push(
        usage(big, {
          apiKeyId: `key_big_${String(i).padStart(2, "0")}`,
          modelId: "priced",
          endUserId: `user-${i % 4}`,
          createdAt: new Date(start.getTime() + (i % 3) * DAY + n * 60_000),
          promptTokens: 1_000,
          completionTokens: 100,
        }),
      );
    }
  }
  // small: two requests the first day, one a 429, one cached
  records.push(usage(small, { status: 429, promptTokens: 0, completionTokens: 0 }));
  records.push(usage(small, { cached: true, promptTokens: 0, completionTokens: 0, latencyMs: 2 }));
  await insertUsageEvents(t.db, records);
});

const query = (fields: Partial<UsageAnalyticsQuery>): UsageAnalyticsQuery => ({
  organizationId: null,
  visibleTo: null,
  from: start,
  to: new Date(start.getTime() + 3 * DAY),
  bucket: "day",
  groupBy: "none",
  ...fields,
});

describe("queryUsageAnalytics", () => {
  it("sums every organization, with spend from the model's prices and errors by status", async () => {
    const all = await queryUsageAnalytics(t, query({}));
    expect(all.totals).toMatchObject({
      requests: 80,
      errors: 1,
      errorsByStatus: [{ status: 429, count: 1 }],
      promptTokens: 78_000,
      completionTokens: 7_800,
      cacheHits: 1,
      // 78 requests × (1000 × $2 + 100 × $10) per million tokens
      spendUsd: 0.234,
    });
    expect(all.points.map((point) => [point.start.toISOString().slice(0, 10), point.requests])).toEqual([
      ["2026-04-01", 2 + 1 + 4 + 7 + 10],
      ["2026-04-02", 2 + 5 + 8 + 11],
      ["2026-04-03", 3 + 6 + 9 + 12],
    ]);
  });

  it("names the ten keys with most requests and sums the rest as other", async () => {
    const answer = await queryUsageAnalytics(t, query({ groupBy: "apiKey", bucket: "hour" }));
    expect(answer.groups.map((group) => [group.key, group.totals.requests])).toEqual([
      ...Array.from({ length: 10 }, (_, k) => [`key_big_${String(11 - k).padStart(2, "0")}`, 12 - k]),
      [USAGE_OTHER_GROUP, 1 + 2 + 2],
    ]);
    const sum = answer.points.reduce((total, point) => total + point.requests, 0);
    expect(sum).toBe(answer.totals.requests);
    // the key without a name (no key: the small organization's requests) is in "other"
    expect(answer.points.filter((point) => point.groupKey === "key_big_11")).toHaveLength(1);
  });

  it("filters by organization, tier and model, and groups by tier, organization, model and end user", async () => {
    const byTier = await queryUsageAnalytics(t, query({ groupBy: "tier" }));
    expect(byTier.groups.map((group) => group.totals.requests)).toEqual([78, 2]);
    expect(byTier.groups[1]).toMatchObject({ key: freeTier, label: "Free" });
    const onlyFree = await queryUsageAnalytics(t, query({ tierId: freeTier, groupBy: "organization" }));
    expect(onlyFree.groups).toEqual([expect.objectContaining({ key: small, label: "Small" })]);
    const byModel = await queryUsageAnalytics(
      t,
      query({ groupBy: "model", bucket: "minute", to: new Date(start.getTime() + DAY) }),
    );
    expect(byModel.groups.map((group) => [group.label, group.totals.requests])).toEqual([
      ["priced", 22],
      ["No model", 2],
    ]);
    const priced = await queryUsageAnalytics(t, query({ modelId: "priced", organizationId: small }));
    expect(priced.totals.requests).toBe(0);
    const byEndUser = await queryUsageAnalytics(t, query({ organizationId: big, groupBy: "endUser" }));
    // user-k has the keys k, k+4, k+8: (k+1) + (k+5) + (k+9) requests
    expect(byEndUser.groups.map((group) => [group.key, group.totals.requests])).toEqual([
      ["user-3", 24],
      ["user-2", 21],
      ["user-1", 18],
      ["user-0", 15],
    ]);
  });

  it("forces a developer's own organization and hides others as not found", async () => {
    const own = await queryUsageAnalytics(t, query({ visibleTo: small }));
    expect(own.totals.requests).toBe(2);
    const byKey = await queryUsageAnalytics(t, query({ visibleTo: small, groupBy: "apiKey" }));
    expect(byKey.groups).toEqual([expect.objectContaining({ key: "", label: "No key" })]);
    await expect(
      queryUsageAnalytics(t, query({ visibleTo: small, organizationId: big })),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("widens the range to whole buckets", async () => {
    const answer = await queryUsageAnalytics(
      t,
      query({
        from: new Date(start.getTime() + 90_000),
        to: new Date(start.getTime() + 150_000),
        bucket: "minute",
      }),
    );
    expect(answer.from.toISOString()).toBe("2026-04-01T00:01:00.000Z");
    expect(answer.to.toISOString()).toBe("2026-04-01T00:03:00.000Z");
  });

  it("loses an erased end user's view by end user, while the totals keep their requests", async () => {
    const eraser = usageRollupEraser(t.db);
    const rows = await t.db.usageRollupEndUser.count({ where: { organizationId: big, endUserId: "user-3" } });
    expect(rows).toBeGreaterThan(0);
    expect(await eraser.erase({ type: "END_USER", organizationId: big, id: "user-3" })).toBe(rows);
    expect(await t.db.usageRollupEndUser.count({ where: { endUserId: "user-3" } })).toBe(0);
    const after = await queryUsageAnalytics(t, query({ organizationId: big, groupBy: "endUser" }));
    expect(after.totals.requests).toBe(78);
    expect(after.groups.map((group) => group.key)).toEqual(["user-2", "user-1", "user-0", USAGE_OTHER_GROUP]);
    expect(after.groups.at(-1)?.totals.requests).toBe(24);
    await eraser.erase({ type: "ORGANIZATION", organizationId: big, id: big });
    expect(await t.db.usageRollupEndUser.count({ where: { organizationId: big } })).toBe(0);
  });
});

describe("latency percentiles", () => {
  it("are within a factor 1.5 of the exact ones (10 ms below 10 ms)", async () => {
    const org = (
      await createOrganization(
        { db: t.db, clock: fakeClock() },
        { name: "Latent", tier: "free", actor: cliActor() },
      )
    ).id;
    let state = 7;
    const latencies = Array.from({ length: 2_000 }, () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      // log-uniform from 1 ms to 60 s
      return Math.round(Math.exp((state / 2 ** 31) * Math.log(60_000)));
    });
    await insertUsageEvents(
      t.db,
      latencies.map((latencyMs) => usage(org, { latencyMs, createdAt: new Date(start.getTime() + 5 * DAY) })),
    );
    const answer = await queryUsageAnalytics(
      t,
      query({
        organizationId: org,
        from: new Date(start.getTime() + 5 * DAY),
        to: new Date(start.getTime() + 6 * DAY),
      }),
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    const exact = (p: number) => sorted[Math.ceil(p * sorted.length) - 1] as number;
    for (const [estimate, p] of [
      [answer.totals.latencyP50Ms, 0.5],
      [answer.totals.latencyP95Ms, 0.95],
    ] as const) {
      const truth = exact(p);
      expect(estimate).not.toBeNull();
      expect(estimate as number).toBeLessThanOrEqual(Math.max(truth * 1.5, truth + 10));
      expect(estimate as number).toBeGreaterThanOrEqual(Math.min(truth / 1.5, truth - 10));
    }
  });

  it("interpolate within the bucket of the rank, and read the open last bucket as its bound", () => {
    const histogram = new Array(LATENCY_BOUNDS_MS.length + 1).fill(0);
    expect(latencyPercentile(histogram, 0.5)).toBeNull();
    histogram[0] = 10;
    expect(latencyPercentile(histogram, 0.5)).toBe(5);
    histogram[histogram.length - 1] = 90;
    expect(latencyPercentile(histogram, 0.95)).toBe(LATENCY_BOUNDS_MS.at(-1));
    for (let i = 1; i < LATENCY_BOUNDS_MS.length; i += 1) {
      expect((LATENCY_BOUNDS_MS[i] as number) / (LATENCY_BOUNDS_MS[i - 1] as number)).toBeLessThanOrEqual(
        1.5 + 1e-9,
      );
    }
  });
});
