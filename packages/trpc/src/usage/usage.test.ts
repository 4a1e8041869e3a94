import { randomBytes } from "node:crypto";
import { cliActor, createApiKey, insertUsageEvents, type UsageRecord } from "@dsc/core";
import { DEFAULT_MODEL_ID } from "@dsc/db";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld, TEST_PEPPER } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
const clock = fakeClock(new Date("2026-03-10T12:30:20Z"));
const HOUR = 3_600_000;
let ownKey: string;
let otherKey: string;

function usage(
  organizationId: string,
  apiKeyId: string,
  at: Date,
  fields: Partial<UsageRecord> = {},
): UsageRecord {
  return {
    requestId: `req_${randomBytes(6).toString("hex")}`,
    organizationId,
    apiKeyId,
    oauthClientId: null,
    modelId: DEFAULT_MODEL_ID,
    endpoint: "/v1/chat/completions",
    status: 200,
    latencyMs: 100,
    promptTokens: 10,
    completionTokens: 5,
    cached: false,
    endUserId: null,
    createdAt: at,
    ...fields,
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db, clock);
  const deps = { db: t.db, clock, pepper: TEST_PEPPER };
  const key = (organizationId: string, name: string) =>
    createApiKey(deps, { organizationId, name, actor: cliActor("test") }).then((created) => created.key.id);
  ownKey = await key(w.ownOrg, "Own app");
  otherKey = await key(w.otherOrg, "Other app");
  const now = clock.now();
  await insertUsageEvents(t.db, [
    usage(w.ownOrg, ownKey, now, { endUserId: "erin" }),
    usage(w.ownOrg, ownKey, new Date(now.getTime() - 2 * HOUR), {
      status: 429,
      promptTokens: 0,
      completionTokens: 0,
    }),
    usage(w.ownOrg, ownKey, now, { cached: true, promptTokens: 0, completionTokens: 0, latencyMs: 3 }),
    usage(w.otherOrg, otherKey, now, { promptTokens: 1000, completionTokens: 1000 }),
  ]);
});

const range = () => ({ from: new Date(clock.now().getTime() - 24 * HOUR), to: clock.now() });

describe("usage.analytics", () => {
  it("shows an admin every organization, grouped by organization, by the hour", async () => {
    const answer = await w
      .as("ADMIN")
      .usage.analytics({ ...range(), bucket: "hour", groupBy: "organization" });
    expect(answer.totals).toMatchObject({
      requests: 4,
      errors: 1,
      promptTokens: 1010,
      completionTokens: 1005,
    });
    expect(answer.groups.map((group) => [group.key, group.totals.requests])).toEqual([
      [w.ownOrg, 3],
      [w.otherOrg, 1],
    ]);
    expect(answer.groups[0]?.label).toMatch(/^Own /);
    expect(answer.totals.errorsByStatus).toEqual([{ status: 429, count: 1 }]);
    expect(answer.totals.cacheHitRate).toBeCloseTo(0.25);
    expect(
      answer.points.filter((point) => point.groupKey === w.ownOrg).map((point) => point.requests),
    ).toEqual([1, 2]);
  });

  it("forces a developer's own organization, and refuses another as not found", async () => {
    const developer = w.as("DEVELOPER");
    const own = await developer.usage.analytics({ ...range(), bucket: "minute", groupBy: "apiKey" });
    expect(own.totals.requests).toBe(3);
    expect(own.groups).toEqual([expect.objectContaining({ key: ownKey, label: "Own app" })]);
    await expect(
      developer.usage.analytics({ ...range(), organizationId: w.otherOrg, bucket: "hour" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    const byEndUser = await developer.usage.analytics({ ...range(), bucket: "day", groupBy: "endUser" });
    expect(byEndUser.groups.map((group) => [group.key, group.totals.requests])).toEqual([
      ["erin", 1],
      ["__other__", 2],
    ]);
  });

  it("is refused to compliance officers and bounded by its bucket's range", async () => {
    await expect(w.as("COMPLIANCE").usage.analytics({ ...range(), bucket: "hour" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(
      w.as("ADMIN").usage.analytics({ from: new Date(0), to: clock.now(), bucket: "minute" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      w.as("ADMIN").usage.analytics({ ...range(), bucket: "day", groupBy: "endUser" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("refuses minute buckets older than they are kept with a sentence, and answers hours there", async () => {
    const threeDaysAgo = new Date(clock.now().getTime() - 72 * HOUR);
    const range = { from: threeDaysAgo, to: new Date(threeDaysAgo.getTime() + HOUR) };
    await expect(w.as("DEVELOPER").usage.analytics({ ...range, bucket: "minute" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "Minute buckets are kept for 48 hours; choose hours or days for older ranges.",
    });
    await expect(w.as("DEVELOPER").usage.analytics({ ...range, bucket: "hour" })).resolves.toBeDefined();
  });

  it("refuses dates before 2000 or after 2100 with a sentence, within a range of the bucket's length", async () => {
    const DAY = 24 * HOUR;
    for (const from of [new Date("1999-12-31T00:00:00Z"), new Date("+275760-09-01T00:00:00Z")]) {
      await expect(
        w.as("ADMIN").usage.analytics({ from, to: new Date(from.getTime() + DAY), bucket: "hour" }),
      ).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining("from the year 2000 to 2100"),
      });
    }
    const edge = new Date("2100-01-01T00:00:00Z");
    await expect(
      w.as("ADMIN").usage.analytics({ from: new Date(edge.getTime() - DAY), to: edge, bucket: "hour" }),
    ).resolves.toBeDefined();
  });
});

describe("usage.quota", () => {
  it("counts tokens this month and requests this minute, per organization and key", async () => {
    const quota = await w.as("DEVELOPER").usage.quota({ organizationId: w.ownOrg });
    expect(quota.tier).toMatchObject({ name: expect.any(String), requestsPerMinute: expect.any(Number) });
    expect(quota.organization).toEqual({ tokensThisMonth: 15, requestsThisMinute: 2 });
    expect(quota.keys).toEqual([{ id: ownKey, name: "Own app", tokensThisMonth: 15, requestsThisMinute: 2 }]);
    await expect(w.as("DEVELOPER").usage.quota({ organizationId: w.otherOrg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const other = await w.as("ADMIN").usage.quota({ organizationId: w.otherOrg });
    expect(other.organization.tokensThisMonth).toBe(2000);
  });
});
