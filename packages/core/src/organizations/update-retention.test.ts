import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import type { Actor } from "../audit/actor.ts";
import { createDiskFileStorage } from "../files/disk-file-storage.ts";
import { purgeExpiredFiles } from "../files/purge-expired-files.ts";
import { newId } from "../ids/public-id.ts";
import { purgeExpiredChatLogs } from "../retention/purge-expired-chat-logs.ts";
import { createOrganization } from "./create-organization.ts";
import { updateRetention } from "./update-retention.ts";

let t: TestDatabase;
let dir: string;
const clock = fakeClock(new Date("2026-05-01T00:00:00Z"));
const deps = () => ({ db: t.db, clock });
const actor: Actor = { type: "USER", id: "usr_officer", origin: "203.0.113.9" };
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "dsc-retention-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const daysAgo = (days: number) => new Date(clock.now().getTime() - days * DAY);

/** A free-tier organization (30 days of logs, 7 of files) with logs and files of these ages. */
async function organizationWith(name: string, ages: { logs: number[]; files: number[] }) {
  const org = await createOrganization(deps(), { name, tier: "free", actor });
  const dataKey = await t.db.dataKey.create({
    data: { id: newId("dataKey"), organizationId: org.id, wrappedKey: Buffer.alloc(60), masterKeyVersion: 1 },
  });
  await t.db.chatLog.createMany({
    data: ages.logs.map((age, i) => ({
      requestId: `req_${name}_${i}`,
      organizationId: org.id,
      modelId: "deepseek-chst-1.0",
      dataKeyId: dataKey.id,
      requestCiphertext: Buffer.from([1]),
      responseCiphertext: Buffer.from([2]),
      createdAt: daysAgo(age),
      expiresAt: new Date(daysAgo(age).getTime() + 30 * DAY),
    })),
  });
  await t.db.file.createMany({
    data: ages.files.map((age, i) => ({
      id: `file-${name}${i}`,
      organizationId: org.id,
      filename: `f${i}.jsonl`,
      purpose: "batch",
      bytes: 1n,
      contentType: "application/jsonl",
      sha256: "0".repeat(64),
      storageKey: `file-${name}${i}`,
      createdAt: daysAgo(age),
      expiresAt: new Date(daysAgo(age).getTime() + 7 * DAY),
    })),
  });
  return org.id;
}

describe("updateRetention", () => {
  it("sets shorter retention, audited with the values before and after", async () => {
    const org = await organizationWith("Audited", { logs: [], files: [] });
    const updated = await updateRetention(deps(), {
      organizationId: org,
      chatLogRetentionDays: 10,
      fileRetentionDays: 3,
      actor,
    });
    expect(updated).toMatchObject({
      chatLogRetentionDays: 10,
      effectiveChatLogRetentionDays: 10,
      fileRetentionDays: 3,
      effectiveFileRetentionDays: 3,
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: org, action: "organization.retention.update" },
    });
    expect(audit).toMatchObject({ actorId: "usr_officer", organizationId: org, origin: "203.0.113.9" });
    expect(audit.metadata).toEqual({
      from: { chatLogRetentionDays: null, fileRetentionDays: null },
      to: { chatLogRetentionDays: 10, fileRetentionDays: 3 },
    });

    // back to the tier's: null; the same values again are no event
    await updateRetention(deps(), { organizationId: org, chatLogRetentionDays: null, actor });
    await updateRetention(deps(), { organizationId: org, chatLogRetentionDays: null, actor });
    const events = await t.db.auditEvent.findMany({
      where: { targetId: org, action: "organization.retention.update" },
      orderBy: { id: "asc" },
    });
    expect(events.map((event) => event.metadata)).toEqual([
      audit.metadata,
      { from: { chatLogRetentionDays: 10 }, to: { chatLogRetentionDays: null } },
    ]);
  });

  it("refuses more than the tier's days, less than one, fractions, and unknown organizations", async () => {
    const org = await organizationWith("Bounded", { logs: [], files: [] });
    for (const [field, days] of [
      ["chatLogRetentionDays", 31],
      ["fileRetentionDays", 8],
      ["fileRetentionDays", 0],
      ["chatLogRetentionDays", 1.5],
    ] as const) {
      await expect(
        updateRetention(deps(), { organizationId: org, [field]: days, actor }),
      ).rejects.toMatchObject({
        code: "invalid",
        param: field,
      });
    }
    // the tier's own value is allowed: the same as no override, but pinned
    await expect(
      updateRetention(deps(), { organizationId: org, chatLogRetentionDays: 30, fileRetentionDays: 7, actor }),
    ).resolves.toMatchObject({ chatLogRetentionDays: 30, fileRetentionDays: 7 });
    await expect(
      updateRetention(deps(), { organizationId: "org_missing", chatLogRetentionDays: 5, actor }),
    ).rejects.toMatchObject({ code: "not_found" });
  });

  it("takes effect at the next purge: logs and files older than the new retention are removed", async () => {
    const org = await organizationWith("Shortened", { logs: [20, 8, 3], files: [6, 4, 1] });
    await updateRetention(deps(), {
      organizationId: org,
      chatLogRetentionDays: 7,
      fileRetentionDays: 2,
      actor,
    });

    // files show the expiry the new retention gives them, at the latest their creation + 2 days
    const files = await t.db.file.findMany({ where: { organizationId: org }, orderBy: { createdAt: "asc" } });
    expect(files.map((file) => file.expiresAt)).toEqual(
      files.map((file) => new Date(file.createdAt.getTime() + 2 * DAY)),
    );

    await purgeExpiredChatLogs(deps());
    await purgeExpiredFiles({ ...deps(), storage: createDiskFileStorage({ directory: dir }) });
    const logs = await t.db.chatLog.findMany({ where: { organizationId: org } });
    expect(logs.map((log) => log.requestId)).toEqual(["req_Shortened_2"]);
    const left = await t.db.file.findMany({ where: { organizationId: org } });
    expect(left.map((file) => file.id)).toEqual(["file-Shortened2"]);
  });

  it("brings every file's expiry forward page by page, and stops at the request's bound", async () => {
    const org = await organizationWith("Paged", { logs: [], files: [6, 5, 4, 3, 1] });
    await updateRetention(
      deps(),
      { organizationId: org, fileRetentionDays: 2, actor },
      { batchSize: 2, maxBatches: 10 },
    );
    const files = await t.db.file.findMany({ where: { organizationId: org }, orderBy: { createdAt: "asc" } });
    expect(files.map((file) => file.expiresAt)).toEqual(
      files.map((file) => new Date(file.createdAt.getTime() + 2 * DAY)),
    );

    // one statement of two files: the two oldest files are brought forward, the others not yet
    const capped = await organizationWith("Capped", { logs: [], files: [6, 5, 4, 3, 1] });
    await updateRetention(
      deps(),
      { organizationId: capped, fileRetentionDays: 2, actor },
      { batchSize: 2, maxBatches: 1 },
    );
    const after = await t.db.file.findMany({
      where: { organizationId: capped },
      orderBy: { createdAt: "asc" },
    });
    expect(after.map((file) => (file.expiresAt?.getTime() ?? 0) - file.createdAt.getTime())).toEqual([
      2 * DAY,
      2 * DAY,
      7 * DAY,
      7 * DAY,
      7 * DAY,
    ]);
  });

  it("removes a file older than a shortened retention at the next purge, although the request's bound left its expiry", async () => {
    const org = await organizationWith("Beyond", { logs: [], files: [6, 5, 4, 3, 1] });
    await updateRetention(
      deps(),
      { organizationId: org, fileRetentionDays: 2, actor },
      { batchSize: 1, maxBatches: 1 },
    );
    // the 3-day-old file still shows its upload's expiry, 4 days from now
    const beyond = await t.db.file.findUniqueOrThrow({ where: { id: "file-Beyond3" } });
    expect(beyond.expiresAt?.getTime()).toBe(daysAgo(3).getTime() + 7 * DAY);

    await purgeExpiredFiles({ ...deps(), storage: createDiskFileStorage({ directory: dir }) });
    const left = await t.db.file.findMany({ where: { organizationId: org } });
    expect(left.map((file) => file.id)).toEqual(["file-Beyond4"]);
  });

  it("keeps what a longer retention finds, and every row while the organization is held", async () => {
    const org = await organizationWith("Held", { logs: [20], files: [5] });
    await t.db.organization.update({ where: { id: org }, data: { legalHold: true } });
    await updateRetention(deps(), {
      organizationId: org,
      chatLogRetentionDays: 1,
      fileRetentionDays: 1,
      actor,
    });
    await purgeExpiredChatLogs(deps());
    await purgeExpiredFiles({ ...deps(), storage: createDiskFileStorage({ directory: dir }) });
    expect(await t.db.chatLog.count({ where: { organizationId: org } })).toBe(1);
    expect(await t.db.file.count({ where: { organizationId: org } })).toBe(1);
  });
});
