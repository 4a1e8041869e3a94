import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createDiskFileStorage } from "./disk-file-storage.ts";
import type { FileDeps } from "./file-deps.ts";
import { purgeExpiredFiles } from "./purge-expired-files.ts";
import { uploadFile } from "./upload-file.ts";

let t: TestDatabase;
let dir: string;
let deps: FileDeps;
const clock = fakeClock(new Date("2026-03-01T00:00:00Z"));
const HOUR = 3_600_000;
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "dsc-purge-"));
  deps = { db: t.db, clock, storage: createDiskFileStorage({ directory: dir }) };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Uploads one file to the organization; `hours` asks for that lifetime, else its retention applies. */
function uploadTo(organizationId: string, hours?: number) {
  return uploadFile(deps, {
    organizationId,
    apiKeyId: null,
    actor,
    parts: (async function* () {
      yield { kind: "field" as const, name: "purpose", value: "batch" };
      if (hours !== undefined) {
        yield { kind: "field" as const, name: "expires_after[anchor]", value: "created_at" };
        yield { kind: "field" as const, name: "expires_after[seconds]", value: String(hours * 3600) };
      }
      yield {
        kind: "file" as const,
        name: "file",
        filename: "f.jsonl",
        contentType: "application/jsonl",
        content: (async function* () {
          yield Buffer.from(`lives ${hours ?? "its retention's"} h`);
        })(),
      };
    })(),
  });
}

/** An organization with one file per lifetime (hours from now). */
async function orgWithFiles(lifetimesHours: number[], legalHold = false) {
  const org = await createOrganization(deps, { name: "Purged", tier: "free", actor });
  const files = [];
  for (const hours of lifetimesHours) files.push(await uploadTo(org.id, hours));
  if (legalHold) await t.db.organization.update({ where: { id: org.id }, data: { legalHold: true } });
  return { org: org.id, files };
}

const exists = async (storageKey: string) => (await deps.storage.head(storageKey)) !== null;

describe("purgeExpiredFiles", () => {
  it("deletes expired files' records and bytes in bounded batches, keeps the rest and files under legal hold", async () => {
    const open = await orgWithFiles([1, 2, 3, 4, 48]);
    const held = await orgWithFiles([1, 2], true);
    clock.advance(5 * HOUR);

    const result = await purgeExpiredFiles(deps, { batchSize: 2 });
    expect(result).toEqual({ deleted: 4, batches: 3, storageFailures: 0 });
    const left = await t.db.file.findMany({ where: { organizationId: { in: [open.org, held.org] } } });
    expect(left.map((f) => f.id).sort()).toEqual([open.files[4]?.id, ...held.files.map((f) => f.id)].sort());
    for (const file of open.files.slice(0, 4)) expect(await exists(file.storageKey)).toBe(false);
    for (const file of [open.files[4], ...held.files])
      expect(await exists(file?.storageKey ?? "")).toBe(true);

    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { action: "file.purge_expired" } });
    expect(audit.metadata).toMatchObject({ deleted: 4, storageFailures: 0 });

    expect(await purgeExpiredFiles(deps, { batchSize: 2 })).toEqual({
      deleted: 0,
      batches: 1,
      storageFailures: 0,
    });
  });

  it("stops after maxBatches and continues on the next run", async () => {
    await orgWithFiles([1, 1, 1, 1, 1]);
    clock.advance(2 * HOUR);
    expect(await purgeExpiredFiles(deps, { batchSize: 2, maxBatches: 1 })).toMatchObject({
      deleted: 2,
      batches: 1,
    });
    expect(await purgeExpiredFiles(deps, { batchSize: 2 })).toMatchObject({ deleted: 3, batches: 2 });
  });

  it("deletes the records even when bytes cannot be removed, leaving those to the sweeper", async () => {
    const { files } = await orgWithFiles([1, 1]);
    clock.advance(2 * HOUR);
    const failing = {
      ...deps,
      storage: { ...deps.storage, delete: () => Promise.reject(new Error("down")) },
    };
    expect(await purgeExpiredFiles(failing)).toEqual({ deleted: 2, batches: 1, storageFailures: 2 });
    expect(await t.db.file.count({ where: { id: { in: files.map((f) => f.id) } } })).toBe(0);
    for (const file of files) expect(await exists(file.storageKey)).toBe(true);
  });

  it("applies a shortened organization retention to the files already uploaded, at the next purge", async () => {
    // uploaded for 10 days, two days ago and one day ago; the organization then keeps 2 days
    const { org, files } = await orgWithFiles([240, 240]);
    clock.advance(24 * HOUR);
    const younger = await uploadTo(org, 240);
    clock.advance(24 * HOUR + 1);
    await t.db.organization.update({ where: { id: org }, data: { fileRetentionDays: 2 } });

    await purgeExpiredFiles(deps);
    const left = await t.db.file.findMany({ where: { organizationId: org } });
    expect(left.map((f) => f.id)).toEqual([younger.id]);
    for (const file of files) expect(await exists(file.storageKey)).toBe(false);
    expect(await exists(younger.storageKey)).toBe(true);
  });

  it("keeps the expiry a file was uploaded with when the retention grows", async () => {
    const org = await createOrganization(deps, { name: "Growing", tier: "free", actor });
    await t.db.organization.update({ where: { id: org.id }, data: { fileRetentionDays: 1 } });
    const file = await uploadTo(org.id);
    // back to the tier's 7 days: the file keeps the one day it was uploaded with
    await t.db.organization.update({ where: { id: org.id }, data: { fileRetentionDays: null } });
    clock.advance(24 * HOUR - 1);
    await purgeExpiredFiles(deps);
    expect(await t.db.file.count({ where: { id: file.id } })).toBe(1);
    clock.advance(1);
    await purgeExpiredFiles(deps);
    expect(await t.db.file.count({ where: { id: file.id } })).toBe(0);
  });
});
