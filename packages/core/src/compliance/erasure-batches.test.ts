import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createDiskFileStorage } from "../files/disk-file-storage.ts";
import type { FileStorage } from "../files/file-storage.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { deadLetterUsage } from "../usage/dead-letter-usage.ts";
import type { UsageRecord } from "../usage/usage-writer.ts";
import { progressOf } from "./erasure-progress.ts";
import { processDeletionRequests } from "./process-deletion-requests.ts";
import { requestDeletion } from "./request-deletion.ts";
import {
  ERASURE_BATCH_FILES,
  ERASURE_BATCH_ROWS,
  fileEraser,
  usageDeadLetterEraser,
  usageIdentityEraser,
} from "./subject-eraser.ts";

let t: TestDatabase;
let filesDir: string;
let storage: FileStorage;
const clock = fakeClock(new Date("2026-09-01T00:00:00Z"));
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
  filesDir = await mkdtemp(path.join(os.tmpdir(), "dsc-erasure-batches-"));
  storage = createDiskFileStorage({ directory: filesDir });
});
afterAll(async () => {
  await rm(filesDir, { recursive: true, force: true });
});

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

async function endUserErasure(organizationId: string, endUserId: string) {
  const { request } = await requestDeletion(
    { db: t.db, clock },
    { organizationId, subjectType: "END_USER", subjectId: endUserId, actor },
  );
  return request;
}

const requestOf = (id: string) => t.db.deletionRequest.findUniqueOrThrow({ where: { id } });

/** `count` file records of an end user, in one statement (their objects are written apart). */
async function seedFiles(organizationId: string, endUserId: string, count: number) {
  await t.db.$executeRaw`
    INSERT INTO file (id, organization_id, end_user_id, filename, purpose, bytes, content_type, sha256, storage_key)
    SELECT ${`file-${endUserId}-`} || g, ${organizationId}, ${endUserId}, 'notes.txt', 'user_data', 5,
           'text/plain', repeat('0', 64), ${`obj-${endUserId}-`} || g
      FROM generate_series(1, ${count}::int) g`;
}

/** `count` usage rows of an end user, in one statement. */
async function seedUsage(organizationId: string, endUserId: string, count: number) {
  await t.db.$executeRaw`
    INSERT INTO usage_event (request_id, organization_id, endpoint, status, latency_ms, end_user_id)
    SELECT 'req_' || g, ${organizationId}, '/v1/chat/completions', 200, 5, ${endUserId}
      FROM generate_series(1, ${count}::int) g`;
}

describe("erasure steps in bounded batches", () => {
  it("deletes files a batch at a time, records and bytes, and resumes on the next turn", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Files", tier: "free", actor });
    const endUser = unique("filer");
    const total = 2 * ERASURE_BATCH_FILES + 7;
    await seedFiles(org.id, endUser, total);
    await seedFiles(org.id, unique("kept"), 3);
    // the bytes of a few, on the storage
    for (const n of [1, ERASURE_BATCH_FILES + 1, total]) {
      await storage.put(
        `obj-${endUser}-${n}`,
        (async function* () {
          yield Buffer.from("notes");
        })(),
        { maxBytes: 100 },
      );
    }
    const deleted: string[] = [];
    const watched: FileStorage = {
      ...storage,
      async delete(key) {
        deleted.push(key);
        return storage.delete(key);
      },
    };
    const request = await endUserErasure(org.id, endUser);
    const erasers = [fileEraser({ db: t.db, storage: watched })];

    expect(await processDeletionRequests({ db: t.db, clock, erasers }, { batchesPerTurn: 2 })).toMatchObject({
      resumable: 1,
      completed: 0,
    });
    expect(progressOf((await requestOf(request.id)).progress).steps.files).toEqual({
      erased: 2 * ERASURE_BATCH_FILES,
      done: false,
    });
    expect(await t.db.file.count({ where: { organizationId: org.id, endUserId: endUser } })).toBe(7);
    // each record's bytes went with it, and no others
    expect(deleted).toHaveLength(2 * ERASURE_BATCH_FILES);
    expect(new Set(deleted).size).toBe(2 * ERASURE_BATCH_FILES);

    expect(await processDeletionRequests({ db: t.db, clock, erasers }, { batchesPerTurn: 2 })).toMatchObject({
      completed: 1,
    });
    expect((await requestOf(request.id)).report).toMatchObject({ erased: { files: total } });
    expect(await t.db.file.count({ where: { organizationId: org.id, endUserId: endUser } })).toBe(0);
    expect(await t.db.file.count({ where: { organizationId: org.id } })).toBe(3);
    expect(new Set(deleted).size).toBe(total);
    const left = [];
    for await (const stored of storage.list()) left.push(stored.key);
    expect(left.filter((key) => key.startsWith(`obj-${endUser}-`))).toEqual([]);
  });

  it("clears the end-user id of usage rows a batch at a time, keeping the rows", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Usage", tier: "free", actor });
    const endUser = unique("metered");
    const other = unique("other");
    const total = 2 * ERASURE_BATCH_ROWS + 11;
    await seedUsage(org.id, endUser, total);
    await seedUsage(org.id, other, 2);
    const request = await endUserErasure(org.id, endUser);
    const erasers = [usageIdentityEraser(t.db)];

    expect(await processDeletionRequests({ db: t.db, clock, erasers }, { batchesPerTurn: 2 })).toMatchObject({
      resumable: 1,
    });
    expect(progressOf((await requestOf(request.id)).progress).steps.usage_identities).toEqual({
      erased: 2 * ERASURE_BATCH_ROWS,
      done: false,
    });
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id, endUserId: endUser } })).toBe(11);

    expect(await processDeletionRequests({ db: t.db, clock, erasers }, { batchesPerTurn: 2 })).toMatchObject({
      completed: 1,
    });
    expect((await requestOf(request.id)).report).toMatchObject({ erased: { usage_identities: total } });
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id, endUserId: endUser } })).toBe(0);
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id, endUserId: null } })).toBe(total);
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id, endUserId: other } })).toBe(2);
  });
});

describe("erasure of dead-lettered usage", () => {
  const record = (organizationId: string, endUserId: string | null): UsageRecord => ({
    requestId: unique("req"),
    organizationId,
    apiKeyId: null,
    oauthClientId: null,
    modelId: "deepseek-chat",
    endpoint: "/v1/chat/completions",
    status: 200,
    latencyMs: 5,
    promptTokens: 3_000_000_000, // the refusal: beyond the column's range
    completionTokens: 1,
    cached: false,
    endUserId,
    createdAt: clock.now(),
  });
  const refusal = new Error('value "3000000000" is out of range for type integer');

  /** The dead letters of an organization, as stored: the end-user id and the counts. */
  async function deadLettersOf(organizationId: string) {
    const rows = await t.db.usageDeadLetter.findMany({ where: { organizationId }, orderBy: { id: "asc" } });
    return rows.map((row) => {
      const stored = row.record as { endUserId: string | null; promptTokens: number; requestId: string };
      return { endUserId: stored.endUserId, promptTokens: stored.promptTokens, requestId: stored.requestId };
    });
  }

  it("clears the end user's id in the records the database refused, and no one else's", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Dead", tier: "free", actor });
    const elsewhere = await createOrganization({ db: t.db, clock }, { name: "Other", tier: "free", actor });
    const endUser = unique("refused");
    const mine = [record(org.id, endUser), record(org.id, endUser)];
    const kept = [record(org.id, unique("neighbour")), record(org.id, null), record(elsewhere.id, endUser)];
    for (const usage of [...mine, ...kept]) await deadLetterUsage(t.db, usage, refusal);
    const before = await deadLettersOf(org.id);

    const request = await endUserErasure(org.id, endUser);
    const erasers = [usageIdentityEraser(t.db), usageDeadLetterEraser(t.db)];
    expect(await processDeletionRequests({ db: t.db, clock, erasers })).toMatchObject({ completed: 1 });

    expect((await requestOf(request.id)).report).toMatchObject({
      erased: { usage_identities: 0, usage_dead_letters: 2 },
    });
    // the records stay, with their counts, for whoever settles them
    expect(await deadLettersOf(org.id)).toEqual(
      before.map((row) => (row.endUserId === endUser ? { ...row, endUserId: null } : row)),
    );
    expect((await deadLettersOf(elsewhere.id)).map((row) => row.endUserId)).toEqual([endUser]);
    const rows = await t.db.$queryRaw<{ row: string }[]>`SELECT d::text AS row FROM usage_dead_letter d`;
    expect(rows.filter(({ row }) => row.includes(endUser))).toHaveLength(1); // the other organization's
  });

  it("clears every end-user id of an erased organization's records", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Closing", tier: "free", actor });
    for (const endUserId of [unique("a"), unique("b"), null]) {
      await deadLetterUsage(t.db, record(org.id, endUserId), refusal);
    }
    await requestDeletion(
      { db: t.db, clock },
      { organizationId: org.id, subjectType: "ORGANIZATION", subjectId: org.id, actor },
    );
    expect(
      await processDeletionRequests({ db: t.db, clock, erasers: [usageDeadLetterEraser(t.db)] }),
    ).toMatchObject({ completed: 1 });
    expect((await deadLettersOf(org.id)).map((row) => row.endUserId)).toEqual([null, null, null]);
  });
});
