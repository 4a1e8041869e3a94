import { randomBytes } from "node:crypto";
import type { Database } from "@dsc/db";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { insertUsageEvents } from "./insert-usage-events.ts";
import { createUsageWriter, type UsageRecord } from "./usage-writer.ts";

let t: TestDatabase;
let organizationId: string;
beforeAll(async () => {
  t = await createTestDatabase();
  const tier = await t.db.tier.findUniqueOrThrow({ where: { slug: "free" } });
  organizationId = (
    await t.db.organization.create({
      data: { id: `org_${randomBytes(5).toString("hex")}`, name: "U", tierId: tier.id },
    })
  ).id;
});
afterEach(() => {
  vi.useRealTimers();
});

function usage(requestId = `req_${randomBytes(6).toString("hex")}`): UsageRecord {
  return {
    requestId,
    organizationId,
    apiKeyId: null,
    oauthClientId: null,
    modelId: "deepseek-chst-1.0",
    endpoint: "/v1/chat/completions",
    status: 200,
    latencyMs: 12,
    promptTokens: 10,
    completionTokens: 5,
    cached: false,
    endUserId: null,
    createdAt: new Date("2026-01-15T12:00:00Z"),
  };
}

const rowsOf = (requestIds: string[]) => t.db.usageEvent.count({ where: { requestId: { in: requestIds } } });

describe("the batching UsageEvent writer", () => {
  it("writes a batch as soon as it is full, with one insert", async () => {
    const insert = vi.fn(insertUsageEvents);
    const writer = createUsageWriter({ db: t.db, batchSize: 3, flushIntervalMs: 60_000, insert });
    const records = [usage(), usage(), usage()];
    writer.record(records[0] as UsageRecord);
    writer.record(records[1] as UsageRecord);
    await writer.whenIdle();
    expect(await rowsOf(records.map((r) => r.requestId))).toBe(0);
    writer.record(records[2] as UsageRecord);
    await writer.whenIdle();
    expect(await rowsOf(records.map((r) => r.requestId))).toBe(3);
    expect(insert).toHaveBeenCalledTimes(1);
    expect(writer.stats).toMatchObject({ written: 3, pending: 0 });
    insert.mockRestore();
    await writer.close();
  });

  it("writes what waits on the interval", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const writer = createUsageWriter({ db: t.db, batchSize: 100, flushIntervalMs: 1_000 });
    const record = usage();
    writer.record(record);
    vi.advanceTimersByTime(999);
    await writer.whenIdle();
    expect(await rowsOf([record.requestId])).toBe(0);
    vi.advanceTimersByTime(1);
    await writer.whenIdle();
    expect(await rowsOf([record.requestId])).toBe(1);
    const row = await t.db.usageEvent.findFirstOrThrow({ where: { requestId: record.requestId } });
    expect(row).toMatchObject({ ...record, id: expect.any(BigInt) });
    await writer.close();
  });

  it("keeps a batch the database refused and writes it on the next flush", async () => {
    let failures = 1;
    const flaky = (db: Database, records: readonly UsageRecord[]) =>
      failures-- > 0 ? Promise.reject(new Error("connection reset")) : insertUsageEvents(db, records);
    const errors: number[] = [];
    const writer = createUsageWriter({
      db: t.db,
      insert: flaky,
      flushIntervalMs: 60_000,
      onError: (_error, records) => errors.push(records),
    });
    const records = [usage(), usage()];
    for (const record of records) writer.record(record); // never throws, never waits
    await writer.flush();
    expect(writer.stats).toMatchObject({ written: 0, pending: 2, failedFlushes: 1 });
    expect(errors).toEqual([2]);
    await writer.flush();
    expect(await rowsOf(records.map((r) => r.requestId))).toBe(2);
    await writer.close();
  });

  it("bounds what it keeps while the database fails, dropping the oldest", async () => {
    const down = () => Promise.reject(new Error("down"));
    const writer = createUsageWriter({
      db: t.db,
      insert: down,
      batchSize: 1_000,
      maxPending: 3,
      flushIntervalMs: 60_000,
    });
    for (let i = 0; i < 5; i++) writer.record(usage());
    expect(writer.stats).toMatchObject({ pending: 3, dropped: 2 });
    await writer.close();
  });

  it("sets aside the rows the database refuses, with their error, and writes the rest of the batch", async () => {
    const deadLetters: UsageRecord[] = [];
    const writer = createUsageWriter({
      db: t.db,
      flushIntervalMs: 60_000,
      onDeadLetter: (_error, record) => deadLetters.push(record),
    });
    const nul = { ...usage(), endUserId: "a\u0000b" };
    const absurd = { ...usage(), promptTokens: 10 ** 15 };
    const good = [usage(), usage(), usage()];
    for (const record of [good[0], nul, good[1], absurd, good[2]] as UsageRecord[]) writer.record(record);
    await writer.flush();
    expect(await rowsOf(good.map((r) => r.requestId))).toBe(3);
    expect(await rowsOf([nul.requestId, absurd.requestId])).toBe(0);
    expect(writer.stats).toMatchObject({ written: 3, pending: 0, deadLettered: 2, failedFlushes: 0 });
    expect(deadLetters.map((r) => r.requestId)).toEqual([nul.requestId, absurd.requestId]);

    const kept = await t.db.usageDeadLetter.findMany({ where: { organizationId }, orderBy: { id: "asc" } });
    expect(kept.map((row) => (row.record as { requestId: string }).requestId)).toEqual([
      nul.requestId,
      absurd.requestId,
    ]);
    expect(kept[0]?.record).toMatchObject({ endUserId: "a\\u0000b", promptTokens: 10 });
    expect(kept[0]?.error).toMatch(/0x00/);
    expect(kept[1]?.record).toMatchObject({ promptTokens: 10 ** 15 });
    expect(kept[1]?.error).toMatch(/out of range/);

    // the queue is not held: what comes next is written at once
    const next = usage();
    writer.record(next);
    await writer.flush();
    expect(await rowsOf([next.requestId])).toBe(1);
    await writer.close();
  });

  it("keeps the rest of a refused batch queued when the database goes away while it finds the bad row", async () => {
    let calls = 0;
    // the batch is refused for its data, then the connection is lost at the first single row
    const insert = (db: Database, records: readonly UsageRecord[]) =>
      ++calls === 2 ? Promise.reject(new Error("connection reset")) : insertUsageEvents(db, records);
    const errors: number[] = [];
    const writer = createUsageWriter({
      db: t.db,
      insert,
      flushIntervalMs: 60_000,
      onError: (_error, records) => errors.push(records),
    });
    const absurd = { ...usage(), completionTokens: 2 ** 40 };
    const good = usage();
    writer.record(absurd);
    writer.record(good);
    await writer.flush();
    expect(writer.stats).toMatchObject({ written: 0, pending: 2, failedFlushes: 1, deadLettered: 0 });
    expect(errors).toEqual([2]);
    await writer.flush();
    expect(await rowsOf([good.requestId])).toBe(1);
    expect(writer.stats).toMatchObject({ written: 1, pending: 0, deadLettered: 1 });
    await writer.close();
  });

  it("writes everything on close, and nothing after it", async () => {
    const writer = createUsageWriter({ db: t.db, batchSize: 2, flushIntervalMs: 60_000 });
    const records = Array.from({ length: 5 }, () => usage());
    for (const record of records) writer.record(record);
    await writer.close();
    expect(await rowsOf(records.map((r) => r.requestId))).toBe(5);
    const late = usage();
    writer.record(late);
    expect(writer.stats.dropped).toBe(1);
    expect(await rowsOf([late.requestId])).toBe(0);
  });
});
