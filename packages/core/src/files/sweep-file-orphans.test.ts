import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { type FakeS3, startFakeS3 } from "../../../../test/support/fake-s3.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createDiskFileStorage } from "./disk-file-storage.ts";
import type { FileDeps } from "./file-deps.ts";
import type { FileStorage } from "./file-storage.ts";
import { createS3FileStorage } from "./s3-file-storage.ts";
import { SweepRefusedError, sweepFileOrphans } from "./sweep-file-orphans.ts";
import { uploadFile } from "./upload-file.ts";

// one database per backend: a deployment's records and bytes live in one place
const databases: Record<string, TestDatabase> = {};
let t: TestDatabase;
let root: string;
let fakeS3: FakeS3;
const HOUR = 3_600_000;
const GRACE = 6 * HOUR;
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
  databases.disk = t;
  databases.s3 = await createTestDatabase();
  root = await mkdtemp(path.join(os.tmpdir(), "dsc-sweep-"));
  fakeS3 = await startFakeS3();
});
afterAll(async () => {
  await fakeS3.close();
  await rm(root, { recursive: true, force: true });
});

const backends: Record<string, () => FileStorage> = {
  disk: () => createDiskFileStorage({ directory: path.join(root, "disk") }),
  s3: () =>
    createS3FileStorage({
      bucket: fakeS3.bucket,
      endpoint: fakeS3.endpoint,
      region: "us-east-1",
      credentials: fakeS3.credentials,
      forcePathStyle: true,
    }),
};

async function* once(text: string) {
  yield Buffer.from(text);
}

describe.each(["disk", "s3"])("sweepFileOrphans on %s", (kind) => {
  it("removes bytes without a record and records without bytes once they are older than the grace", async () => {
    // storage stamps objects with the real time, so the fake clock starts there
    const clock = fakeClock(new Date());
    const { db } = databases[kind] as TestDatabase;
    const deps: FileDeps = { db, clock, storage: (backends[kind] as () => FileStorage)() };
    const org = await createOrganization(deps, { name: "Swept", tier: "pro", actor });
    const held = await createOrganization(deps, { name: "Held", tier: "pro", actor });
    await db.organization.update({ where: { id: held.id }, data: { legalHold: true } });
    const upload = (organizationId: string, text: string) =>
      uploadFile(deps, {
        organizationId,
        apiKeyId: null,
        actor,
        parts: (async function* () {
          yield { kind: "field" as const, name: "purpose", value: "batch" };
          yield {
            kind: "file" as const,
            name: "file",
            filename: "f",
            contentType: "text/plain",
            content: once(text),
          };
        })(),
      });

    const kept = await upload(org.id, "kept");
    const lostBytes = await upload(org.id, "lost bytes");
    const heldLostBytes = await upload(held.id, "held");
    await deps.storage.delete(lostBytes.storageKey);
    await deps.storage.delete(heldLostBytes.storageKey);
    // bytes whose upload died before its record (or whose deletion failed)
    await deps.storage.put(`file-orphan${kind}`, once("no record"), { maxBytes: 100 });

    // young: nothing is touched, an upload may still be writing its record
    expect(await sweepFileOrphans(deps, { graceMs: GRACE })).toMatchObject({
      orphanObjects: 0,
      orphanRecords: 0,
    });
    expect(await deps.storage.head(`file-orphan${kind}`)).not.toBeNull();
    expect(await db.file.count({ where: { id: lostBytes.id } })).toBe(1);

    // past the grace for everything written so far, however long the steps above took
    clock.set(new Date(Date.now() + GRACE + 1000));
    const result = await sweepFileOrphans(deps, { graceMs: GRACE, batchSize: 2 });
    expect(result).toMatchObject({ orphanObjects: 1, orphanRecords: 1 });
    expect(result.checkedObjects).toBeGreaterThanOrEqual(2);
    expect(await deps.storage.head(`file-orphan${kind}`)).toBeNull();
    expect(await db.file.findUnique({ where: { id: lostBytes.id } })).toBeNull();
    // untouched: a healthy file, and the record of an organization under legal hold
    expect(await deps.storage.head(kept.storageKey)).toEqual({ bytes: 4 });
    expect(await db.file.count({ where: { id: { in: [kept.id, heldLostBytes.id] } } })).toBe(2);
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "file.sweep_orphans" },
      orderBy: { occurredAt: "desc" },
    });
    expect(audit.metadata).toMatchObject({ objectKeys: [`file-orphan${kind}`], recordIds: [lostBytes.id] });

    // idempotent
    expect(await sweepFileOrphans(deps, { graceMs: GRACE })).toMatchObject({
      abandonedUploads: 0,
      orphanObjects: 0,
      orphanRecords: 0,
    });
  });
});

describe("sweepFileOrphans on disk", () => {
  it("removes partial uploads a crash left behind", async () => {
    const directory = path.join(root, "crashed");
    const deps: FileDeps = {
      db: t.db,
      clock: fakeClock(new Date()),
      storage: createDiskFileStorage({ directory }),
    };
    await deps.storage.put("file-warmup", once("x"), { maxBytes: 1 });
    const partial = path.join(directory, ".partial", "file-crashed.0a1b2c");
    await writeFile(partial, "half an upload");
    const longAgo = new Date(Date.now() - 7 * HOUR);
    await utimes(partial, longAgo, longAgo);
    expect(await sweepFileOrphans(deps, { graceMs: GRACE })).toMatchObject({ abandonedUploads: 1 });
  });
});

describe("sweepFileOrphans refuses what looks like a misconfigured worker", () => {
  const GRACE_PASSED = () => fakeClock(new Date(Date.now() + GRACE + 1000));
  // a database per test: the records one test leaves must not count in the other
  let db: TestDatabase["db"];
  const spare: TestDatabase[] = [];
  beforeAll(async () => {
    spare.push(await createTestDatabase(), await createTestDatabase());
  });
  beforeEach(() => {
    db = (spare.shift() as TestDatabase).db;
  });

  async function filesOn(storage: FileStorage, count: number) {
    const deps: FileDeps = { db, clock: fakeClock(new Date()), storage };
    const org = await createOrganization(deps, { name: "Many", tier: "pro", actor });
    const files = [];
    for (let i = 0; i < count; i++) {
      files.push(
        await uploadFile(deps, {
          organizationId: org.id,
          apiKeyId: null,
          actor,
          parts: (async function* () {
            yield { kind: "field" as const, name: "purpose", value: "batch" };
            yield {
              kind: "file" as const,
              name: "file",
              filename: "f",
              contentType: "text/plain",
              content: once("x"),
            };
          })(),
        }),
      );
    }
    return files;
  }

  it("deletes no record when the storage it sees is empty (say, S3 set on the gateways only)", async () => {
    const gatewayStorage = createDiskFileStorage({ directory: path.join(root, "gateway-side") });
    const files = await filesOn(gatewayStorage, 3);
    const workerStorage = createDiskFileStorage({ directory: path.join(root, "worker-side") });
    await expect(
      sweepFileOrphans({ db, clock: GRACE_PASSED(), storage: workerStorage }, { graceMs: GRACE }),
    ).rejects.toThrow(SweepRefusedError);
    expect(await db.file.count({ where: { id: { in: files.map((f) => f.id) } } })).toBe(3);
  });

  it("stops when most records of a batch lack bytes, and goes ahead when told to", async () => {
    const storage = createDiskFileStorage({ directory: path.join(root, "mostly-lost") });
    const files = await filesOn(storage, 12);
    for (const file of files.slice(0, 8)) await storage.delete(file.storageKey);
    await expect(
      sweepFileOrphans({ db, clock: GRACE_PASSED(), storage }, { graceMs: GRACE }),
    ).rejects.toThrow("8 of 12 file records have no bytes in storage");
    expect(await db.file.count({ where: { id: { in: files.map((f) => f.id) } } })).toBe(12);
    expect(
      await sweepFileOrphans({ db, clock: GRACE_PASSED(), storage }, { graceMs: GRACE, maxOrphanShare: 1 }),
    ).toMatchObject({ orphanRecords: 8 });
  });
});
