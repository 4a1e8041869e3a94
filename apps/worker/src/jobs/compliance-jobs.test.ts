import { EventEmitter, once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import {
  cliActor,
  createChatLogWriter,
  createDiskFileStorage,
  createMemoryResponseCache,
  createOrganization,
  type FileStorage,
  getOrCreateDataKey,
  parseMasterKeyring,
  requestDeletion,
  uploadFile,
} from "@dsc/core";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { startWorker, type WorkerHandle } from "../start-worker.ts";
import { checkDeletionDeadlinesJob } from "./check-deletion-deadlines.ts";
import { processDeletionRequestsJob } from "./process-deletion-requests.ts";
import { rewrapDataKeysJob } from "./rewrap-data-keys.ts";

let t: TestDatabase;
let dir: string;
let storage: FileStorage;
let worker: WorkerHandle;
const clock = fakeClock(new Date());
const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const keyring = parseMasterKeyring(`2:${key(2)},1:${key(1)}`);
const done = new Map<string, Record<string, unknown>>();
const events = new EventEmitter();
const errors: Record<string, unknown>[] = [];
/** RESPONSE_CACHE_TTL_SECONDS of the gateways, as the worker is told it */
const CACHE_TTL_MS = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "dsc-compliance-jobs-"));
  storage = createDiskFileStorage({ directory: dir });
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk, _encoding, callback) {
        const line = JSON.parse(String(chunk)) as { msg: string; jobRunId?: string; level: number };
        if (line.level >= 50) errors.push(line);
        if (line.msg === "job done" && line.jobRunId) {
          done.set(line.jobRunId, line);
          events.emit("done");
        }
        callback();
      },
    }),
  );
  worker = await startWorker({
    databaseUrl: t.url,
    jobs: [processDeletionRequestsJob, checkDeletionDeadlinesJob, rewrapDataKeysJob],
    db: t.db,
    clock,
    logger,
    fileStorage: storage,
    keyring,
    responseCache: createMemoryResponseCache({ clock }),
    responseCacheTtlMs: CACHE_TTL_MS,
  });
});
afterAll(async () => {
  await worker.stop();
  await rm(dir, { recursive: true, force: true });
});

async function runJob(id: string, payload: object = {}) {
  const runId = await worker.boss.send(id, payload);
  if (!runId) throw new Error(`pg-boss did not accept ${id}`);
  for (let i = 0; i < 200 && !done.has(runId); i++) await once(events, "done");
  return done.get(runId);
}

async function fileOf(organizationId: string, endUserId: string) {
  const file = await uploadFile(
    { db: t.db, clock, storage },
    {
      organizationId,
      apiKeyId: null,
      actor: cliActor("test"),
      parts: (async function* () {
        yield { kind: "field" as const, name: "purpose", value: "user_data" };
        yield {
          kind: "file" as const,
          name: "file",
          filename: "notes.txt",
          contentType: "text/plain",
          content: (async function* () {
            yield Buffer.from(`notes of ${endUserId}`);
          })(),
        };
      })(),
    },
  );
  await t.db.file.update({ where: { id: file.id }, data: { endUserId } });
  return file;
}

describe("compliance jobs", () => {
  it("erase a subject's logs and files through the worker, leaving others", async () => {
    const org = await createOrganization(
      { db: t.db, clock },
      { name: "Erase", tier: "free", actor: cliActor() },
    );
    const writer = createChatLogWriter({ db: t.db, clock, keyring }, { flushIntervalMs: 60_000 });
    for (const user of ["erin", "frank"]) {
      writer.record({
        requestId: `req_${user}`,
        organizationId: org.id,
        apiKeyId: null,
        modelId: "deepseek-chst-1.0",
        endUserId: user,
        messages: [{ role: "user", content: `hello from ${user}` }],
        response: { streamedText: "hi" },
        promptTokens: 1,
        completionTokens: 1,
        maskKinds: [],
        expiresAt: new Date(clock.now().getTime() + 86_400_000),
      });
    }
    await writer.close();
    const erinsFile = await fileOf(org.id, "erin");
    const franksFile = await fileOf(org.id, "frank");
    const { request } = await requestDeletion(
      { db: t.db, clock },
      { organizationId: org.id, subjectType: "END_USER", subjectId: "erin", actor: cliActor() },
    );

    // every step done, it waits until no gateway can hold a cached answer of erin's any more
    expect(await runJob("compliance.process-deletion-requests")).toMatchObject({
      completed: 0,
      waiting: 1,
      failed: 0,
    });
    const waitsUntil = new Date(clock.now().getTime() + CACHE_TTL_MS);
    expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "PENDING",
      nextAttemptAt: waitsUntil,
      progress: { steps: { cache_expiry: { done: false, until: waitsUntil.toISOString() } } },
    });
    clock.advance(CACHE_TTL_MS - 1);
    expect(await runJob("compliance.process-deletion-requests")).toMatchObject({ completed: 0, waiting: 0 });
    clock.advance(1);
    const result = await runJob("compliance.process-deletion-requests");
    expect(result).toMatchObject({ completed: 1, failed: 0 });
    const finished = await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(finished.report).toMatchObject({ erased: { chat_logs: 1, files: 1, cache_entries: 0 } });
    expect(await t.db.chatLog.count({ where: { organizationId: org.id } })).toBe(1);
    expect(await t.db.file.findUnique({ where: { id: erinsFile.id } })).toBeNull();
    expect(await t.db.file.findUnique({ where: { id: franksFile.id } })).not.toBeNull();
    const keys = [];
    for await (const stored of storage.list()) keys.push(stored.key);
    expect(keys).toContain(franksFile.storageKey);
    expect(keys).not.toContain(erinsFile.storageKey);
  });

  it("log an alert for requests near their deadline", async () => {
    const org = await createOrganization(
      { db: t.db, clock },
      { name: "Late", tier: "free", actor: cliActor() },
    );
    await t.db.deletionRequest.create({
      data: {
        id: "delreq_late",
        organizationId: org.id,
        subjectType: "END_USER",
        subjectId: "slow",
        requestedBy: "test",
        dueAt: new Date(clock.now().getTime() - 1000),
      },
    });
    expect(await runJob("compliance.check-deletion-deadlines")).toMatchObject({ overdue: 1 });
    expect(errors.some((line) => line.alert === "deletion_deadline")).toBe(true);
  });

  it("re-wrap data keys under the newest master key", async () => {
    const org = await createOrganization(
      { db: t.db, clock },
      { name: "Old key", tier: "free", actor: cliActor() },
    );
    const old = parseMasterKeyring(`1:${key(1)}`);
    await getOrCreateDataKey({ db: t.db, clock, keyring: old }, { organizationId: org.id, endUserId: "old" });
    expect(await t.db.dataKey.count({ where: { masterKeyVersion: 1 } })).toBe(1);
    expect(await runJob("crypto.rewrap-data-keys")).toMatchObject({ rewrapped: 1 });
    expect(await t.db.dataKey.count({ where: { masterKeyVersion: { not: 2 } } })).toBe(0);
  });
});
