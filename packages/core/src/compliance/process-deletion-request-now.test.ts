import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { processDeletionRequestNow } from "./process-deletion-request-now.ts";
import { processDeletionRequests } from "./process-deletion-requests.ts";
import { requestDeletion } from "./request-deletion.ts";
import { searchDeletionRequests } from "./search-deletion-requests.ts";
import type { SubjectEraser } from "./subject-eraser.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-08-01T00:00:00Z"));
const deps = () => ({ db: t.db, clock });
const officer = { type: "USER" as const, id: "usr_officer", origin: "198.51.100.7" };
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
});

/** An eraser that counts one row per subject, or fails while `failing` holds. */
function countingEraser(state: { failing: boolean }): SubjectEraser {
  return {
    kind: "rows",
    async erase() {
      if (state.failing) throw new Error("the store is down");
      return 1;
    },
  };
}

async function openRequest(subjectId: string) {
  const org = await createOrganization(deps(), { name: `Org ${subjectId}`, tier: "free", actor: cliActor() });
  const { request } = await requestDeletion(deps(), {
    organizationId: org.id,
    subjectType: "END_USER",
    subjectId,
    actor: cliActor(),
  });
  return request;
}

describe("processDeletionRequestNow", () => {
  it("makes a request waiting out its backoff due at once, audited; the next run completes it", async () => {
    const request = await openRequest("backoff");
    const state = { failing: true };
    const erasers = [countingEraser(state)];
    expect(await processDeletionRequests({ ...deps(), erasers })).toMatchObject({ failed: 1 });
    const failed = await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(failed.nextAttemptAt?.getTime()).toBeGreaterThan(clock.now().getTime());

    state.failing = false;
    // still in its backoff: a run now passes it by
    expect(await processDeletionRequests({ ...deps(), erasers })).toMatchObject({ completed: 0 });

    const queued = await processDeletionRequestNow(deps(), { id: request.id, actor: officer });
    expect(queued).toEqual({
      id: request.id,
      status: "FAILED",
      dueBy: new Date(clock.now().getTime() + 60_000),
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: request.id, action: "deletion_request.process_now" },
    });
    expect(audit).toMatchObject({ actorId: "usr_officer", origin: "198.51.100.7" });
    expect(audit.metadata).toEqual({
      from: { status: "FAILED", nextAttemptAt: failed.nextAttemptAt?.toISOString() },
    });
    // the attempts so far are kept: only Retry starts a fresh count
    expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      attempts: 1,
      nextAttemptAt: null,
    });

    expect(await processDeletionRequests({ ...deps(), erasers })).toMatchObject({ completed: 1 });
    const [view] = (await searchDeletionRequests(deps(), { organizationId: request.organizationId ?? "" }))
      .items;
    expect(view).toMatchObject({ status: "COMPLETED", erased: { rows: 1 } });
  });

  it("refuses what it cannot hurry: completed, held, out of attempts, or unknown", async () => {
    const done = await openRequest("done");
    await processDeletionRequests({ ...deps(), erasers: [countingEraser({ failing: false })] });
    expect((await t.db.deletionRequest.findUniqueOrThrow({ where: { id: done.id } })).status).toBe(
      "COMPLETED",
    );
    await expect(processDeletionRequestNow(deps(), { id: done.id, actor: officer })).rejects.toMatchObject({
      code: "conflict",
    });

    for (const status of ["ON_HOLD", "NEEDS_ATTENTION", "PROCESSING"] as const) {
      const request = await openRequest(`status-${status}`);
      await t.db.deletionRequest.update({ where: { id: request.id }, data: { status } });
      await expect(
        processDeletionRequestNow(deps(), { id: request.id, actor: officer }),
      ).rejects.toMatchObject({
        code: "conflict",
      });
    }
    await expect(
      processDeletionRequestNow(deps(), { id: "delreq_missing", actor: officer }),
    ).rejects.toMatchObject({ code: "not_found" });
    expect(
      await t.db.auditEvent.count({ where: { action: "deletion_request.process_now", targetId: done.id } }),
    ).toBe(0);
  });

  it("refuses a request whose steps are done and which waits for cached copies to expire", async () => {
    const request = await openRequest("lingering");
    const lingering: SubjectEraser = {
      kind: "cache",
      erase: async () => 0,
      lingersUntil: async () => ({ step: "cache_expiry", until: new Date(clock.now().getTime() + HOUR) }),
    };
    await processDeletionRequests({ ...deps(), erasers: [lingering] });
    expect((await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe(
      "PENDING",
    );
    await expect(processDeletionRequestNow(deps(), { id: request.id, actor: officer })).rejects.toMatchObject(
      {
        code: "conflict",
        message: expect.stringContaining("cached copies expire"),
      },
    );
  });
});
