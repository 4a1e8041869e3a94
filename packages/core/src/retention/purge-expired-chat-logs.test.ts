import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { newId } from "../ids/public-id.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { purgeExpiredChatLogs } from "./purge-expired-chat-logs.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-03-01T00:00:00Z"));
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDatabase();
});

async function orgWithLogs(name: string, ages: number[], legalHold = false) {
  const org = await createOrganization({ db: t.db, clock }, { name, tier: "free", actor: cliActor("test") });
  if (legalHold) await t.db.organization.update({ where: { id: org.id }, data: { legalHold: true } });
  const dataKey = await t.db.dataKey.create({
    data: { id: newId("dataKey"), organizationId: org.id, wrappedKey: Buffer.alloc(60), masterKeyVersion: 1 },
  });
  const now = clock.now().getTime();
  await t.db.chatLog.createMany({
    data: ages.map((ageDays, i) => ({
      requestId: `req_${name}_${i}`,
      organizationId: org.id,
      modelId: "deepseek-chst-1.0",
      dataKeyId: dataKey.id,
      requestCiphertext: Buffer.from([1]),
      responseCiphertext: Buffer.from([2]),
      createdAt: new Date(now - ageDays * DAY),
      expiresAt: new Date(now - ageDays * DAY + 30 * DAY),
    })),
  });
  return org.id;
}

describe("purgeExpiredChatLogs", () => {
  it("deletes logs past expiry in bounded batches, keeps the rest and logs under legal hold", async () => {
    const open = await orgWithLogs("open", [31, 32, 40, 45, 50, 29, 1]);
    const held = await orgWithLogs("held", [31, 60], true);

    const result = await purgeExpiredChatLogs({ db: t.db, clock }, { batchSize: 2 });
    expect(result).toEqual({ deleted: 5, batches: 3 });
    expect(await t.db.chatLog.count({ where: { organizationId: open } })).toBe(2);
    expect(await t.db.chatLog.count({ where: { organizationId: held } })).toBe(2);

    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "chat_log.purge_expired" } });
    expect(audit.metadata).toMatchObject({ deleted: 5 });

    expect(await purgeExpiredChatLogs({ db: t.db, clock }, { batchSize: 2 })).toEqual({
      deleted: 0,
      batches: 1,
    });
  });

  it("deletes every log of one expiry instant when a batch ends among them", async () => {
    const ties = await orgWithLogs("ties", [36, 36, 36, 36, 36]);
    expect(await purgeExpiredChatLogs({ db: t.db, clock }, { batchSize: 2 })).toEqual({
      deleted: 5,
      batches: 3,
    });
    expect(await t.db.chatLog.count({ where: { organizationId: ties } })).toBe(0);
  });

  it("stops after maxBatches and continues on the next run", async () => {
    await orgWithLogs("many", [31, 32, 33, 34, 35]);
    expect(await purgeExpiredChatLogs({ db: t.db, clock }, { batchSize: 2, maxBatches: 1 })).toEqual({
      deleted: 2,
      batches: 1,
    });
    expect(await purgeExpiredChatLogs({ db: t.db, clock }, { batchSize: 2 })).toEqual({
      deleted: 3,
      batches: 2,
    });
  });
});

describe("purgeExpiredChatLogs after a retention change", () => {
  it("applies a shortened retention to the logs already written, at the next purge", async () => {
    // written under the tier's 30 days; the organization then keeps 7
    const org = await orgWithLogs("shortened", [20, 8, 7, 6, 1]);
    await t.db.organization.update({ where: { id: org }, data: { chatLogRetentionDays: 7 } });
    expect(await purgeExpiredChatLogs({ db: t.db, clock }, { batchSize: 2 })).toEqual({
      deleted: 3,
      batches: 2,
    });
    const left = await t.db.chatLog.findMany({
      where: { organizationId: org },
      orderBy: { requestId: "asc" },
    });
    expect(left.map((log) => log.requestId)).toEqual(["req_shortened_3", "req_shortened_4"]);
  });

  it("applies a shortened tier retention too, but never to an organization under legal hold", async () => {
    const tier = await t.db.tier.create({
      data: { id: "tier_short", slug: "short", name: "Short", requestsPerMinute: 5, maxFileBytes: 1 },
    });
    const open = await orgWithLogs("tier-open", [10, 2]);
    const held = await orgWithLogs("tier-held", [10, 2], true);
    await t.db.organization.updateMany({ where: { id: { in: [open, held] } }, data: { tierId: tier.id } });
    await t.db.tier.update({ where: { id: tier.id }, data: { chatLogRetentionDays: 5 } });
    expect(await purgeExpiredChatLogs({ db: t.db, clock })).toEqual({ deleted: 1, batches: 1 });
    expect(await t.db.chatLog.count({ where: { organizationId: open } })).toBe(1);
    expect(await t.db.chatLog.count({ where: { organizationId: held } })).toBe(2);
  });

  it("keeps the expiry a log was written with when the retention grows", async () => {
    // written under a 7-day retention, which then goes back to the tier's 30 days
    const org = await orgWithLogs("lengthened", [9, 6]);
    const now = clock.now().getTime();
    await t.db.chatLog.updateMany({
      where: { organizationId: org },
      data: { expiresAt: new Date(now - 9 * DAY + 7 * DAY) },
    });
    await t.db.chatLog.update({
      where: { id: (await t.db.chatLog.findFirstOrThrow({ where: { requestId: "req_lengthened_1" } })).id },
      data: { expiresAt: new Date(now - 6 * DAY + 7 * DAY) },
    });
    await t.db.organization.update({ where: { id: org }, data: { chatLogRetentionDays: null } });

    expect(await purgeExpiredChatLogs({ db: t.db, clock })).toEqual({ deleted: 1, batches: 1 });
    const left = await t.db.chatLog.findMany({ where: { organizationId: org } });
    expect(left.map((log) => log.requestId)).toEqual(["req_lengthened_1"]);

    // the one written 6 days ago goes at its own 7 days, not at the 30 days now in force
    const later = fakeClock(new Date(now + 1 * DAY + 1));
    await purgeExpiredChatLogs({ db: t.db, clock: later });
    expect(await t.db.chatLog.count({ where: { organizationId: org } })).toBe(0);
  });
});

describe("chat_log's vacuum", () => {
  it("runs once 1 % of the table is dead, not PostgreSQL's 20 %, so purged rows do not pile up", async () => {
    const [table] = await t.db.$queryRaw<{ reloptions: string[] | null }[]>`
      SELECT reloptions FROM pg_class WHERE oid = 'chat_log'::regclass`;
    expect(table?.reloptions).toContain("autovacuum_vacuum_scale_factor=0.01");
  });
});
