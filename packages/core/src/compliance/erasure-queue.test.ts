import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createDiskFileStorage } from "../files/disk-file-storage.ts";
import type { FileStorage } from "../files/file-storage.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { setLegalHold } from "../organizations/legal-hold.ts";
import { MAX_DELETION_ATTEMPTS, retryDelayMs } from "./deletion-attempts.ts";
import { overrideDeletionHold } from "./override-deletion-hold.ts";
import { processDeletionRequests } from "./process-deletion-requests.ts";
import { requestDeletion } from "./request-deletion.ts";
import { retryDeletionRequest } from "./retry-deletion-request.ts";
import { searchDeletionRequests } from "./search-deletion-requests.ts";
import { allSubjectErasers, type SubjectEraser } from "./subject-eraser.ts";

let t: TestDatabase;
let filesDir: string;
let storage: FileStorage;
const clock = fakeClock(new Date("2026-07-01T00:00:00Z"));
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
  filesDir = await mkdtemp(path.join(os.tmpdir(), "dsc-erasure-queue-"));
  storage = createDiskFileStorage({ directory: filesDir });
});
afterAll(async () => {
  await rm(filesDir, { recursive: true, force: true });
});

/** A file storage that refuses every delete while `isDown` holds, as one in an outage does. */
function storageRefusingWhile(isDown: () => boolean): FileStorage {
  return {
    ...storage,
    async delete(key) {
      if (isDown()) throw new Error("storage refused the delete");
      return storage.delete(key);
    },
  };
}

async function endUserRequest(organizationId: string, endUserId: string) {
  const { request } = await requestDeletion(
    { db: t.db, clock },
    { organizationId, subjectType: "END_USER", subjectId: endUserId, actor },
  );
  return request;
}

const statusOf = (id: string) => t.db.deletionRequest.findUniqueOrThrow({ where: { id } });

describe("the erasure queue", () => {
  it("retries a failing request with backoff while the others complete, then flags it for a person", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Queue", tier: "free", actor });
    // the failing one has the oldest deadline, so it is the first claimed
    const bad = await endUserRequest(org.id, "bad");
    clock.advance(1_000);
    const good = [await endUserRequest(org.id, "good-1"), await endUserRequest(org.id, "good-2")];
    let isDown = true;
    const refusing = storageRefusingWhile(() => isDown);
    // bytes the bad subject left in the storage, which every attempt tries to delete
    const leftBytes: SubjectEraser = {
      kind: "left_bytes",
      async erase(subject) {
        if (subject.id !== "bad") return 0;
        await refusing.delete("queue-bad-object");
        return 1;
      },
    };
    const erasers = (): SubjectEraser[] => [
      ...allSubjectErasers({ db: t.db, clock, storage, cache: null, cacheTtlMs: 0 }),
      leftBytes,
    ];
    const run = () => processDeletionRequests({ db: t.db, clock, erasers: erasers() });

    expect(await run()).toEqual({
      completed: 2,
      failed: 1,
      needsAttention: 0,
      onHold: 0,
      resumable: 0,
      waiting: 0,
    });
    for (const request of good) expect((await statusOf(request.id)).status).toBe("COMPLETED");
    expect(await statusOf(bad.id)).toMatchObject({
      status: "FAILED",
      attempts: 1,
      lastError: "Error",
      nextAttemptAt: new Date(clock.now().getTime() + retryDelayMs(1)),
    });

    // before its delay it is not taken again; after it, once per run, each delay twice the last
    expect(await run()).toMatchObject({ completed: 0, failed: 0 });
    for (let attempt = 2; attempt < MAX_DELETION_ATTEMPTS; attempt++) {
      clock.advance(retryDelayMs(attempt - 1) - 1);
      expect(await run()).toMatchObject({ failed: 0 });
      clock.advance(1);
      expect(await run()).toMatchObject({ failed: 1 });
      expect(await statusOf(bad.id)).toMatchObject({ status: "FAILED", attempts: attempt });
      expect(retryDelayMs(attempt)).toBe(Math.min(2 * retryDelayMs(attempt - 1), 6 * 3_600_000));
    }

    clock.advance(retryDelayMs(MAX_DELETION_ATTEMPTS - 1));
    expect(await run()).toMatchObject({ failed: 0, needsAttention: 1 });
    expect(await statusOf(bad.id)).toMatchObject({
      status: "NEEDS_ATTENTION",
      attempts: MAX_DELETION_ATTEMPTS,
      nextAttemptAt: null,
    });
    expect(
      await t.db.auditEvent.count({
        where: { action: "deletion_request.needs_attention", targetId: bad.id },
      }),
    ).toBe(1);

    // it stays, visible, until a person retries it
    clock.advance(30 * 24 * 3_600_000);
    expect(await run()).toMatchObject({ failed: 0, needsAttention: 0, completed: 0 });
    const flagged = await searchDeletionRequests({ db: t.db, clock }, { status: "NEEDS_ATTENTION" });
    expect(flagged.items.map((item) => item.id)).toEqual([bad.id]);

    isDown = false;
    await retryDeletionRequest({ db: t.db, clock }, { id: bad.id, actor });
    expect(
      await t.db.auditEvent.count({ where: { action: "deletion_request.retry", targetId: bad.id } }),
    ).toBe(1);
    expect(await run()).toMatchObject({ completed: 1, failed: 0 });
    expect(await statusOf(bad.id)).toMatchObject({ status: "COMPLETED" });
    await expect(retryDeletionRequest({ db: t.db, clock }, { id: bad.id, actor })).rejects.toMatchObject({
      code: "conflict",
    });
  });
});

describe("a request taken up more than once", () => {
  it("keeps its first start in the report, and is taken over only from a worker gone quiet", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Resumed", tier: "free", actor });
    const request = await endUserRequest(org.id, "resumed");
    let isDown = true;
    const flaky: SubjectEraser = {
      kind: "flaky_bytes",
      async erase() {
        await storageRefusingWhile(() => isDown).delete("resumed-object");
        return 0;
      },
    };
    const run = () =>
      processDeletionRequests({
        db: t.db,
        clock,
        erasers: [...allSubjectErasers({ db: t.db, clock, storage, cache: null, cacheTtlMs: 0 }), flaky],
      });
    const firstStart = clock.now();
    expect(await run()).toMatchObject({ failed: 1 });

    clock.advance(retryDelayMs(1));
    isDown = false;
    // a worker took it up and went quiet: nobody else takes it while its claim is fresh
    await t.db.deletionRequest.update({
      where: { id: request.id },
      data: { status: "PROCESSING", claimedAt: clock.now() },
    });
    clock.advance(14 * 60_000);
    expect(await run()).toMatchObject({ completed: 0 });
    clock.advance(2 * 60_000);
    expect(await run()).toMatchObject({ completed: 1 });

    const done = await statusOf(request.id);
    expect(done.status).toBe("COMPLETED");
    expect(done.startedAt).toEqual(firstStart);
    expect((done.report as { startedAt: string }).startedAt).toBe(firstStart.toISOString());
  });
});

describe("a legal hold", () => {
  async function heldOrganization(name: string) {
    const org = await createOrganization({ db: t.db, clock }, { name, tier: "free", actor });
    await setLegalHold(
      { db: t.db, clock },
      { organizationId: org.id, legalHold: true, reason: "Case 42", actor },
    );
    await t.db.chatLog.deleteMany({ where: { organizationId: org.id } });
    return org;
  }
  const run = () =>
    processDeletionRequests({
      db: t.db,
      clock,
      erasers: allSubjectErasers({ db: t.db, clock, storage, cache: null, cacheTtlMs: 0 }),
    });

  it("holds the erasure with the hold's reason until the hold is lifted", async () => {
    const org = await heldOrganization("Held");
    const request = await endUserRequest(org.id, "held-user");
    expect(await run()).toMatchObject({ onHold: 1, completed: 0 });
    expect(await statusOf(request.id)).toMatchObject({ status: "ON_HOLD", holdReason: "Case 42" });
    expect(await run()).toMatchObject({ onHold: 0, completed: 0 });
    // asked again, the held request is the answer
    expect((await endUserRequest(org.id, "held-user")).id).toBe(request.id);

    await setLegalHold({ db: t.db, clock }, { organizationId: org.id, legalHold: false, actor });
    expect(await run()).toMatchObject({ completed: 1 });
    expect(await statusOf(request.id)).toMatchObject({ status: "COMPLETED" });
  });

  it("lets a compliance officer override it for one request, audited", async () => {
    const org = await heldOrganization("Overridden");
    const request = await endUserRequest(org.id, "released-user");
    await run();
    await expect(
      overrideDeletionHold({ db: t.db, clock }, { id: (await endUserRequest(org.id, "x")).id, actor }),
    ).rejects.toMatchObject({ code: "conflict" });
    await overrideDeletionHold({ db: t.db, clock }, { id: request.id, actor });
    expect(await run()).toMatchObject({ completed: 1 });
    expect(await statusOf(request.id)).toMatchObject({
      status: "COMPLETED",
      holdOverriddenBy: "system:test",
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "deletion_request.override_hold", targetId: request.id },
    });
    expect(audit.metadata).toMatchObject({ holdReason: "Case 42" });
  });
});
