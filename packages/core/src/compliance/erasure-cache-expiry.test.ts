import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createMemoryResponseCache } from "../cache/memory-response-cache.ts";
import { createDiskFileStorage } from "../files/disk-file-storage.ts";
import type { FileStorage } from "../files/file-storage.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { getDeletionRequestReport } from "./get-deletion-request-report.ts";
import { processDeletionRequests } from "./process-deletion-requests.ts";
import { requestDeletion } from "./request-deletion.ts";
import { allSubjectErasers } from "./subject-eraser.ts";

/*
 * No gateway confirms that it purged its in-memory cache (the purge is a broadcast it may miss,
 * and an answer of a request in flight may be stored after it), so an erasure is completed only
 * once the response cache's TTL has passed since the purge: by then every such entry has expired.
 */

const HOUR = 3_600_000;
const CACHE_TTL_MS = HOUR;
let t: TestDatabase;
let filesDir: string;
let storage: FileStorage;
const clock = fakeClock(new Date("2026-10-01T00:00:00Z"));
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
  filesDir = await mkdtemp(path.join(os.tmpdir(), "dsc-erasure-cache-expiry-"));
  storage = createDiskFileStorage({ directory: filesDir });
});
afterAll(async () => {
  await rm(filesDir, { recursive: true, force: true });
});

async function endUserErasure(organizationId: string, endUserId: string) {
  const { request } = await requestDeletion(
    { db: t.db, clock },
    { organizationId, subjectType: "END_USER", subjectId: endUserId, actor },
  );
  return request;
}

const requestOf = (id: string) => t.db.deletionRequest.findUniqueOrThrow({ where: { id } });

describe("completing an erasure after the cache purge", () => {
  it("waits out the cache TTL, saying so, so that a gateway that missed the purge holds nothing by then", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Cached", tier: "free", actor });
    // a gateway whose memory the purge broadcast never reached, holding one answer of the subject
    const missed = createMemoryResponseCache({ clock });
    const entry = { organizationId: org.id, endUserId: "wendy", hash: "a".repeat(64) };
    await missed.set(entry, "sealed answer", CACHE_TTL_MS);
    clock.advance(60_000);
    const request = await endUserErasure(org.id, "wendy");
    const erasers = allSubjectErasers({ db: t.db, clock, storage, cache: null, cacheTtlMs: CACHE_TTL_MS });
    const run = () => processDeletionRequests({ db: t.db, clock, erasers });

    const purgedAt = clock.now();
    const until = new Date(purgedAt.getTime() + CACHE_TTL_MS);
    expect(await run()).toMatchObject({ completed: 0, waiting: 1, failed: 0 });
    const waiting = await requestOf(request.id);
    expect(waiting).toMatchObject({
      status: "PENDING",
      nextAttemptAt: until,
      completedAt: null,
      report: null,
    });
    expect(waiting.progress).toMatchObject({
      steps: {
        chat_logs: { done: true },
        files: { done: true },
        cache_entries: { done: true },
        usage_identities: { done: true },
        cache_expiry: { erased: 0, done: false, until: until.toISOString() },
      },
    });
    expect(await getDeletionRequestReport({ db: t.db, clock }, { id: request.id })).toMatchObject({
      status: "PENDING",
      waiting: { step: "cache_expiry", until },
      erased: null,
    });
    expect(await missed.get(entry)).toBe("sealed answer"); // the missed purge: still held

    // not claimed before the wait is over
    clock.advance(CACHE_TTL_MS - 1);
    expect(await run()).toMatchObject({ completed: 0, waiting: 0 });
    clock.advance(1);
    expect(await run()).toMatchObject({ completed: 1, waiting: 0 });
    const done = await requestOf(request.id);
    expect(done).toMatchObject({ status: "COMPLETED", completedAt: clock.now(), nextAttemptAt: null });
    expect(done.progress).toMatchObject({ steps: { cache_expiry: { done: true } } });
    expect(done.report).toMatchObject({ erased: { cache_entries: 0 } });
    expect(await getDeletionRequestReport({ db: t.db, clock }, { id: request.id })).toMatchObject({
      waiting: null,
    });
    // by the time it says completed, no gateway can hold the answer any more
    expect(await missed.get(entry)).toBeNull();
    expect(
      await t.db.auditEvent.count({ where: { action: "deletion_request.complete", targetId: request.id } }),
    ).toBe(1);
  });

  it("waits for nothing with the cache off (TTL 0)", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Uncached", tier: "free", actor });
    const request = await endUserErasure(org.id, "xavier");
    const erasers = allSubjectErasers({ db: t.db, clock, storage, cache: null, cacheTtlMs: 0 });
    expect(await processDeletionRequests({ db: t.db, clock, erasers })).toMatchObject({
      completed: 1,
      waiting: 0,
    });
    expect((await requestOf(request.id)).progress).not.toHaveProperty("steps.cache_expiry");
  });

  it("does not wait again when the purge is older than the TTL, as after a retried failure", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Retried", tier: "free", actor });
    const request = await endUserErasure(org.id, "yolanda");
    let isDown = true;
    const erasers = [
      ...allSubjectErasers({ db: t.db, clock, storage, cache: null, cacheTtlMs: CACHE_TTL_MS }),
      {
        kind: "flaky",
        async erase() {
          if (isDown) throw new Error("a passing fault");
          return 0;
        },
      },
    ];
    expect(await processDeletionRequests({ db: t.db, clock, erasers })).toMatchObject({ failed: 1 });
    isDown = false;
    clock.advance(2 * CACHE_TTL_MS); // the backoff and more: the purge is long past
    expect(await processDeletionRequests({ db: t.db, clock, erasers })).toMatchObject({
      completed: 1,
      waiting: 0,
    });
    expect((await requestOf(request.id)).progress).toMatchObject({ steps: { cache_expiry: { done: true } } });
  });
});
