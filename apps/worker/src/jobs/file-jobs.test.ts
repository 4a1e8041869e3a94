import { EventEmitter, once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { cliActor, createDiskFileStorage, createOrganization, type FileStorage, uploadFile } from "@dsc/core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { startWorker, type WorkerHandle } from "../start-worker.ts";
import { purgeExpiredFilesJob } from "./purge-expired-files.ts";
import { sweepFileOrphansJob } from "./sweep-file-orphans.ts";

let t: TestDatabase;
let dir: string;
let storage: FileStorage;
let worker: WorkerHandle;
// storage stamps objects with the real time, so the fake clock starts there
const clock = fakeClock(new Date());
const HOUR = 3_600_000;
/** each finished job's log line by run id; "done" is emitted for each, so tests await the worker */
const doneLines = new Map<string, Record<string, unknown>>();
const jobsDone = new EventEmitter();

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "dsc-file-jobs-"));
  storage = createDiskFileStorage({ directory: dir });
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk, _encoding, done) {
        const line = JSON.parse(String(chunk)) as { msg: string; jobRunId?: string };
        if (line.msg === "job done" && line.jobRunId) {
          doneLines.set(line.jobRunId, line);
          jobsDone.emit("done");
        }
        done();
      },
    }),
  );
  worker = await startWorker({
    databaseUrl: t.url,
    responseCacheTtlMs: 0,
    jobs: [purgeExpiredFilesJob, sweepFileOrphansJob],
    db: t.db,
    clock,
    logger,
    fileStorage: storage,
  });
});
afterAll(async () => {
  await worker.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Sends a job and resolves with its "job done" log line. */
async function runJob(id: string, payload: object = {}) {
  const jobRunId = await worker.boss.send(id, payload);
  if (!jobRunId) throw new Error(`pg-boss did not accept ${id}`);
  while (!doneLines.has(jobRunId)) await once(jobsDone, "done");
  return doneLines.get(jobRunId);
}

async function expiringFile(hours: number) {
  const org = await createOrganization(
    { db: t.db, clock },
    { name: "Jobs", tier: "free", actor: cliActor("test") },
  );
  return uploadFile(
    { db: t.db, clock, storage },
    {
      organizationId: org.id,
      apiKeyId: null,
      actor: cliActor("test"),
      parts: (async function* () {
        yield { kind: "field" as const, name: "purpose", value: "batch" };
        yield { kind: "field" as const, name: "expires_after[anchor]", value: "created_at" };
        yield { kind: "field" as const, name: "expires_after[seconds]", value: String(hours * 3600) };
        yield {
          kind: "file" as const,
          name: "file",
          filename: "batch.jsonl",
          contentType: "application/jsonl",
          content: (async function* () {
            yield Buffer.from('{"custom_id":"1"}\n');
          })(),
        };
      })(),
    },
  );
}

describe("file jobs", () => {
  it("are scheduled: the purge every 10 minutes, the sweeper hourly", async () => {
    const schedules = await worker.boss.getSchedules();
    expect(schedules.map((s) => [s.name, s.cron])).toEqual(
      expect.arrayContaining([
        ["files.purge-expired", "*/10 * * * *"],
        ["files.sweep-orphans", "17 * * * *"],
      ]),
    );
  });

  it("files.purge-expired deletes an expired file's record and bytes through pg-boss", async () => {
    const expired = await expiringFile(1);
    const kept = await expiringFile(48);
    clock.advance(2 * HOUR);
    expect(await runJob("files.purge-expired")).toMatchObject({ deleted: 1, storageFailures: 0 });
    expect(await t.db.file.findUnique({ where: { id: expired.id } })).toBeNull();
    expect(await storage.head(expired.storageKey)).toBeNull();
    expect(await storage.head(kept.storageKey)).not.toBeNull();
    expect(await runJob("files.purge-expired")).toMatchObject({ deleted: 0 });
  });

  it("files.sweep-orphans removes bytes without a record once past the grace period", async () => {
    await storage.put(
      "file-orphanedbyacrash",
      (async function* () {
        yield Buffer.from("no record");
      })(),
      { maxBytes: 100 },
    );
    clock.advance(7 * HOUR);
    expect(await runJob("files.sweep-orphans")).toMatchObject({ orphanObjects: 1 });
    expect(await storage.head("file-orphanedbyacrash")).toBeNull();
  });

  it("refuse to run without storage, and refuse a grace shorter than an hour", async () => {
    const deps = { db: t.db, clock, logger: pino({ level: "silent" }), responseCacheTtlMs: 0 };
    await expect(purgeExpiredFilesJob.run({}, deps)).rejects.toThrow("file storage is not configured");
    await expect(sweepFileOrphansJob.run({}, deps)).rejects.toThrow("file storage is not configured");
    expect(sweepFileOrphansJob.payload.safeParse({ graceMs: 60_000 }).success).toBe(false);
  });
});
