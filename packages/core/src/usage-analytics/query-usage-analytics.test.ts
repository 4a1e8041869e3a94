import { randomBytes } from "node:crypto";
import { sqlPoolOf } from "@dsc/db";
import { USAGE_OTHER_GROUP, USAGE_TOP_GROUPS } from "@dsc/vocabulary";
import { beforeAll, describe, expect, it, vi } from "vitest";
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
/** the day after the first day of usage, so that its minute rows are still kept */
const clock = fakeClock(new Date(start.getTime() + DAY));
const deps = () => ({ db: t.db, clock });

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
    const all = await queryUsageAnalytics(deps(), query({}));
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
    const answer = await queryUsageAnalytics(deps(), query({ groupBy: "apiKey", bucket: "hour" }));
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
    const byTier = await queryUsageAnalytics(deps(), query({ groupBy: "tier" }));
    expect(byTier.groups.map((group) => group.totals.requests)).toEqual([78, 2]);
    expect(byTier.groups[1]).toMatchObject({ key: freeTier, label: "Free" });
    const onlyFree = await queryUsageAnalytics(deps(), query({ tierId: freeTier, groupBy: "organization" }));
    expect(onlyFree.groups).toEqual([expect.objectContaining({ key: small, label: "Small" })]);
    const byModel = await queryUsageAnalytics(
      deps(),
      query({ groupBy: "model", bucket: "minute", to: new Date(start.getTime() + DAY) }),
    );
    expect(byModel.groups.map((group) => [group.label, group.totals.requests])).toEqual([
      ["priced", 22],
      ["No model", 2],
    ]);
    const priced = await queryUsageAnalytics(deps(), query({ modelId: "priced", organizationId: small }));
    expect(priced.totals.requests).toBe(0);
    const byEndUser = await queryUsageAnalytics(deps(), query({ organizationId: big, groupBy: "endUser" }));
    // user-k has the keys k, k+4, k+8: (k+1) + (k+5) + (k+9) requests
    expect(byEndUser.groups.map((group) => [group.key, group.totals.requests])).toEqual([
      ["user-3", 24],
      ["user-2", 21],
      ["user-1", 18],
      ["user-0", 15],
    ]);
  });

  it("ranks organizations and keys over four weeks or more under a filter by the month rows", async () => {
    const weeks = { bucket: "day" as const, to: new Date(start.getTime() + 40 * DAY) };
    const pricedByOrganization = await queryUsageAnalytics(
      deps(),
      query({ ...weeks, modelId: "priced", groupBy: "organization" }),
    );
    expect(pricedByOrganization.groups.map((group) => [group.key, group.totals.requests])).toEqual([
      [big, 78],
    ]);
    const freeByKey = await queryUsageAnalytics(
      deps(),
      query({ ...weeks, tierId: freeTier, groupBy: "apiKey" }),
    );
    expect(freeByKey.groups.map((group) => group.totals.requests)).toEqual([2]);
    const proByKey = await queryUsageAnalytics(
      deps(),
      query({
        ...weeks,
        tierId: (await t.db.tier.findUniqueOrThrow({ where: { slug: "pro" } })).id,
        groupBy: "apiKey",
      }),
    );
    expect(proByKey.groups.slice(0, 2).map((group) => [group.key, group.totals.requests])).toEqual([
      ["key_big_11", 12],
      ["key_big_10", 11],
    ]);
  });

  it("forces a developer's own organization and hides others as not found", async () => {
    const own = await queryUsageAnalytics(deps(), query({ visibleTo: small }));
    expect(own.totals.requests).toBe(2);
    const byKey = await queryUsageAnalytics(deps(), query({ visibleTo: small, groupBy: "apiKey" }));
    expect(byKey.groups).toEqual([expect.objectContaining({ key: "", label: "No key" })]);
    await expect(
      queryUsageAnalytics(deps(), query({ visibleTo: small, organizationId: big })),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("widens the range to whole buckets", async () => {
    const answer = await queryUsageAnalytics(
      deps(),
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
    const after = await queryUsageAnalytics(deps(), query({ organizationId: big, groupBy: "endUser" }));
    expect(after.totals.requests).toBe(78);
    expect(after.groups.map((group) => group.key)).toEqual(["user-2", "user-1", "user-0", USAGE_OTHER_GROUP]);
    expect(after.groups.at(-1)?.totals.requests).toBe(24);
    await eraser.erase({ type: "ORGANIZATION", organizationId: big, id: big });
    expect(await t.db.usageRollupEndUser.count({ where: { organizationId: big } })).toBe(0);
  });
});

/** What `work` answers, and how many rows the database sent to Node while it ran. */
async function rowsRead<T>(work: () => Promise<T>): Promise<{ answer: T; rows: number }> {
  const pool = sqlPoolOf(t.db);
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<{ rows?: unknown[] }>;
  let rows = 0;
  const spy = vi.spyOn(pool, "query").mockImplementation((async (...args: unknown[]) => {
    const result = await query(...args);
    rows += result.rows?.length ?? 0;
    return result;
  }) as never);
  try {
    return { answer: await work(), rows };
  } finally {
    spy.mockRestore();
  }
}

describe("ranking groups", () => {
  it("reads only the top groups' buckets, however many end users or keys an organization has", async () => {
    const crowd = (
      await createOrganization(
        { db: t.db, clock: fakeClock() },
        { name: "Crowd", tier: "free", actor: cliActor() },
      )
    ).id;
    // user-i (with key-i) makes i + 1 requests the first day and one the second
    const first = new Date(start.getTime() + 10 * DAY);
    const users = 30;
    const records: UsageRecord[] = [];
    for (let i = 0; i < users; i += 1) {
      const who = { endUserId: `user-${i}`, apiKeyId: `key-${String(i).padStart(2, "0")}` };
      for (let n = 0; n <= i; n += 1) records.push(usage(crowd, { ...who, createdAt: first }));
      records.push(usage(crowd, { ...who, createdAt: new Date(first.getTime() + DAY) }));
    }
    await insertUsageEvents(t.db, records);
    const range = { organizationId: crowd, from: first, to: new Date(first.getTime() + 2 * DAY) };
    // the ranking (at most ten rows), the top groups' two buckets each, the totals' two buckets,
    // and the keys' names: never every group's buckets (sixty rows)
    const most = USAGE_TOP_GROUPS + USAGE_TOP_GROUPS * 2 + 2 + USAGE_TOP_GROUPS;
    for (const groupBy of ["endUser", "apiKey"] as const) {
      const { answer, rows } = await rowsRead(() =>
        queryUsageAnalytics(deps(), query({ ...range, groupBy })),
      );
      expect(rows).toBeLessThanOrEqual(most);
      expect(answer.groups.map((group) => group.totals.requests)).toEqual([
        ...Array.from({ length: USAGE_TOP_GROUPS }, (_, k) => users + 1 - k),
        // the other twenty: (i + 1) + 1 for i < 20
        (20 * 21) / 2 + 20,
      ]);
      expect(answer.groups[0]?.key).toBe(groupBy === "endUser" ? "user-29" : "key-29");
      expect(answer.points.reduce((sum, point) => sum + point.requests, 0)).toBe(answer.totals.requests);
      expect(answer.totals.requests).toBe((users * (users + 1)) / 2 + users);
    }
  });
});

describe("minute buckets", () => {
  it("are refused with a sentence for a range that starts before they are kept", async () => {
    const now = clock.now().getTime();
    const threeDaysAgo = { from: new Date(now - 3 * DAY), to: new Date(now - 3 * DAY + 3_600_000) };
    await expect(
      queryUsageAnalytics(deps(), query({ ...threeDaysAgo, bucket: "minute" })),
    ).rejects.toMatchObject({
      code: "invalid",
      message: "Minute buckets are kept for 48 hours; choose hours or days for older ranges.",
    });
    // hours answer for the same range, and minutes for a range that starts just 48 hours ago
    await expect(
      queryUsageAnalytics(deps(), query({ ...threeDaysAgo, bucket: "hour" })),
    ).resolves.toBeDefined();
    const kept = { from: new Date(now - 2 * DAY), to: new Date(now - 2 * DAY + 3_600_000) };
    await expect(queryUsageAnalytics(deps(), query({ ...kept, bucket: "minute" }))).resolves.toBeDefined();
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
      deps(),
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
