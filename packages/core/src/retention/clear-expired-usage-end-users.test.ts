import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { insertUsageEvents } from "../usage/insert-usage-events.ts";
import { clearExpiredUsageEndUsers } from "./clear-expired-usage-end-users.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-03-01T00:00:00Z"));
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDatabase();
});

/** An organization of the free tier (30 days of chat logs) with usage rows of these ages. */
async function orgWithUsage(
  name: string,
  ages: number[],
  settings: { legalHold?: boolean; chatLogRetentionDays?: number } = {},
) {
  const org = await createOrganization({ db: t.db, clock }, { name, tier: "free", actor: cliActor("test") });
  await t.db.organization.update({ where: { id: org.id }, data: settings });
  const now = clock.now().getTime();
  await t.db.usageEvent.createMany({
    data: ages.map((ageDays, i) => ({
      requestId: `req_${name}_${i}`,
      organizationId: org.id,
      endpoint: "/v1/chat/completions",
      status: 200,
      latencyMs: 5,
      promptTokens: 10,
      completionTokens: 1,
      endUserId: `user-of-${name}`,
      createdAt: new Date(now - ageDays * DAY),
    })),
  });
  return org.id;
}

const identified = (organizationId: string) =>
  t.db.usageEvent.count({ where: { organizationId, endUserId: { not: null } } });
const tokens = async (organizationId: string) =>
  (await t.db.usageEvent.aggregate({ where: { organizationId }, _sum: { promptTokens: true } }))._sum
    .promptTokens;

describe("clearExpiredUsageEndUsers", () => {
  it("clears the end user of usage rows past the chat-log retention, in bounded batches; counts stay", async () => {
    const open = await orgWithUsage("open", [31, 32, 40, 45, 50, 29, 1]);
    const shorter = await orgWithUsage("shorter", [8, 6], { chatLogRetentionDays: 7 });
    const held = await orgWithUsage("held", [31, 60], { legalHold: true });

    const result = await clearExpiredUsageEndUsers({ db: t.db, clock }, { batchSize: 2 });
    // 3 full batches and a last one of usage rows, then one of dead letters and one of roll-ups (none)
    expect(result).toEqual({ cleared: 6, deadLettersCleared: 0, endUserRollupsDeleted: 0, batches: 6 });
    expect(await identified(open)).toBe(2);
    expect(await identified(shorter)).toBe(1);
    expect(await identified(held)).toBe(2);
    expect(await t.db.usageEvent.count({ where: { organizationId: open } })).toBe(7);
    expect(await tokens(open)).toBe(70);

    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "usage_event.clear_end_users" },
    });
    expect(audit.metadata).toMatchObject({ cleared: 6 });
    // idempotent: nothing is left to clear
    expect(await clearExpiredUsageEndUsers({ db: t.db, clock }, { batchSize: 2 })).toEqual({
      cleared: 0,
      deadLettersCleared: 0,
      endUserRollupsDeleted: 0,
      batches: 3,
    });
  });

  it("stops after maxBatches; the next run continues", async () => {
    const org = await orgWithUsage("bounded", [40, 41, 42, 43, 44]);
    expect(await clearExpiredUsageEndUsers({ db: t.db, clock }, { batchSize: 2, maxBatches: 1 })).toEqual({
      cleared: 2,
      deadLettersCleared: 0,
      endUserRollupsDeleted: 0,
      batches: 1,
    });
    expect(await identified(org)).toBe(3);
    await clearExpiredUsageEndUsers({ db: t.db, clock }, { batchSize: 2 });
    expect(await identified(org)).toBe(0);
  });

  it("clears the end user of dead-lettered usage records past the retention too", async () => {
    const open = await orgWithUsage("letters", []);
    const held = await orgWithUsage("held letters", [], { legalHold: true });
    const now = clock.now().getTime();
    const letter = (organizationId: string, ageDays: number) => ({
      organizationId,
      record: { organizationId, endUserId: "refused-user", promptTokens: 10 },
      error: "value out of range",
      createdAt: new Date(now - ageDays * DAY),
    });
    await t.db.usageDeadLetter.createMany({
      data: [letter(open, 40), letter(open, 35), letter(open, 2), letter(held, 40)],
    });
    const named = async (organizationId: string) =>
      (await t.db.usageDeadLetter.findMany({ where: { organizationId } })).filter(
        (row) => (row.record as { endUserId: string | null }).endUserId !== null,
      ).length;

    const result = await clearExpiredUsageEndUsers({ db: t.db, clock }, { batchSize: 1 });
    expect(result.deadLettersCleared).toBe(2);
    expect(await named(open)).toBe(1);
    expect(await named(held)).toBe(1);
    const kept = await t.db.usageDeadLetter.findFirstOrThrow({ where: { organizationId: open } });
    expect(kept.record).toMatchObject({ promptTokens: 10 });
  });

  it("deletes the usage roll-ups' rows of end users past the retention; the other roll-ups keep the counts", async () => {
    const org = await orgWithUsage("rolled up", []);
    const now = clock.now().getTime();
    const record = (endUserId: string, ageDays: number) => ({
      requestId: `req_${endUserId}_${ageDays}`,
      organizationId: org,
      apiKeyId: null,
      oauthClientId: null,
      modelId: null,
      endpoint: "/v1/chat/completions",
      status: 200,
      latencyMs: 5,
      promptTokens: 10,
      completionTokens: 1,
      cached: false,
      endUserId,
      createdAt: new Date(now - ageDays * DAY),
    });
    await insertUsageEvents(t.db, [record("expired-user", 40), record("recent-user", 1)]);
    const endUsers = async () =>
      (
        await t.db.usageRollupEndUser.findMany({
          where: { organizationId: org },
          select: { endUserId: true },
        })
      ).map((row) => row.endUserId);
    expect(new Set(await endUsers())).toEqual(new Set(["expired-user", "recent-user"]));

    const result = await clearExpiredUsageEndUsers({ db: t.db, clock });
    // the expired end user's minute, hour and day rows
    expect(result.endUserRollupsDeleted).toBe(3);
    expect(new Set(await endUsers())).toEqual(new Set(["recent-user"]));
    const daily = await t.db.usageRollupOrganization.aggregate({
      where: { organizationId: org, grain: "day" },
      _sum: { requests: true },
    });
    expect(daily._sum.requests).toBe(2n);
  });
});
