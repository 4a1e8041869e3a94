import { cliActor, requestDeletion } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

/** An end-user erasure opened `hoursAgo` hours ago (as the API or the CLI would have). */
async function openedHoursAgo(organizationId: string, subjectId: string, hoursAgo: number) {
  const clock = { now: () => new Date(Date.now() - hoursAgo * HOUR) };
  const { request } = await requestDeletion(
    { db: t.db, clock },
    { organizationId, subjectType: "END_USER", subjectId, actor: cliActor("test") },
  );
  return request;
}

describe("deletionRequests.create", () => {
  it("opens an end user's erasure as the compliance officer, once, audited with their address", async () => {
    const officer = w.as("COMPLIANCE");
    const opened = await officer.deletionRequests.create({ organizationId: w.ownOrg, endUserId: "zoe" });
    expect(opened).toMatchObject({ id: expect.stringMatching(/^delreq_/), created: true });
    expect(opened.dueAt.getTime() - Date.now()).toBeGreaterThan(71 * HOUR);
    const again = await officer.deletionRequests.create({ organizationId: w.ownOrg, endUserId: "zoe" });
    expect(again).toEqual({ ...opened, created: false });

    // ids are kept as the API received them, never trimmed: " zoe " is someone else
    const spaced = await officer.deletionRequests.create({ organizationId: w.ownOrg, endUserId: " zoe " });
    expect(spaced.created).toBe(true);
    expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: spaced.id } })).toMatchObject({
      subjectId: " zoe ",
    });

    const row = await t.db.deletionRequest.findUniqueOrThrow({ where: { id: opened.id } });
    expect(row).toMatchObject({ subjectType: "END_USER", subjectId: "zoe", organizationId: w.ownOrg });
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: opened.id } });
    expect(audit).toMatchObject({
      action: "deletion_request.create",
      actorType: "USER",
      actorId: w.people.COMPLIANCE.id,
      origin: "192.0.2.10",
    });
  });

  it("says which field is wrong: an empty end user, an unknown organization", async () => {
    const officer = w.as("COMPLIANCE");
    await expect(
      officer.deletionRequests.create({ organizationId: w.ownOrg, endUserId: "" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      officer.deletionRequests.create({ organizationId: "org_doesnotexist", endUserId: "zoe" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("is refused to admins and developers, and opens nothing", async () => {
    for (const role of ["ADMIN", "DEVELOPER"] as const) {
      await expect(
        w.as(role).deletionRequests.create({ organizationId: w.ownOrg, endUserId: `refused-${role}` }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await t.db.deletionRequest.count({ where: { subjectId: { startsWith: "refused-" } } })).toBe(0);
  });
});

describe("deletionRequests.list, get and deadlines", () => {
  it("flag overdue and nearly due requests, filter by status, and show a request's report", async () => {
    const before = await w.as("COMPLIANCE").deletionRequests.deadlines();
    const overdue = await openedHoursAgo(w.otherOrg, "late", 80);
    const near = await openedHoursAgo(w.otherOrg, "soon", 65);
    const fresh = await openedHoursAgo(w.otherOrg, "fresh", 1);

    for (const role of ["ADMIN", "COMPLIANCE"] as const) {
      const caller = w.as(role);
      expect(await caller.deletionRequests.deadlines()).toEqual({
        open: before.open + 3,
        nearDeadline: before.nearDeadline + 1,
        overdue: before.overdue + 1,
        needsAttention: before.needsAttention,
        onHold: before.onHold,
      });
      const list = await caller.deletionRequests.list({ organizationId: w.otherOrg });
      expect(list.items.map((r) => [r.id, r.risk])).toEqual([
        [fresh.id, null],
        [near.id, "near_deadline"],
        [overdue.id, "overdue"],
      ]);
      expect(list.items[0]).toMatchObject({ subjectType: "END_USER", subjectId: "fresh", status: "PENDING" });
      const atRisk = await caller.deletionRequests.list({ organizationId: w.otherOrg, status: "AT_RISK" });
      expect(atRisk.items.map((r) => r.id)).toEqual([near.id, overdue.id]);
      expect((await caller.deletionRequests.list({ status: "COMPLETED" })).items).toEqual([]);
    }

    const report = await w.as("COMPLIANCE").deletionRequests.get({ deletionRequestId: overdue.id });
    expect(report).toMatchObject({ id: overdue.id, risk: "overdue", erased: null, reportSha256: null });
    await expect(
      w.as("ADMIN").deletionRequests.get({ deletionRequestId: "delreq_missing" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(w.as("COMPLIANCE").deletionRequests.list({ limit: 0 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("are refused to developers, even for their own organization", async () => {
    const own = await openedHoursAgo(w.ownOrg, "developer-own", 2);
    const developer = w.as("DEVELOPER");
    await expect(developer.deletionRequests.list({ organizationId: w.ownOrg })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(developer.deletionRequests.get({ deletionRequestId: own.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(developer.deletionRequests.deadlines()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(w.caller(null).deletionRequests.deadlines()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("deletionRequests.overrideHold and retry", () => {
  it("release a held erasure and requeue a failed one, audited as the compliance officer", async () => {
    const held = await openedHoursAgo(w.ownOrg, "held-subject", 1);
    await t.db.deletionRequest.update({
      where: { id: held.id },
      data: { status: "ON_HOLD", holdReason: "matter 2026-17" },
    });
    const stuck = await openedHoursAgo(w.ownOrg, "stuck-subject", 1);
    await t.db.deletionRequest.update({
      where: { id: stuck.id },
      data: { status: "NEEDS_ATTENTION", attempts: 5, lastError: "boom" },
    });

    const officer = w.as("COMPLIANCE");
    expect(await officer.deletionRequests.overrideHold({ id: held.id })).toEqual({
      id: held.id,
      status: "PENDING",
    });
    expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({
      status: "PENDING",
      holdOverriddenBy: `user:${w.people.COMPLIANCE.id}`,
    });
    expect(
      await t.db.auditEvent.findFirstOrThrow({
        where: { targetId: held.id, action: "deletion_request.override_hold" },
      }),
    ).toMatchObject({ actorType: "USER", actorId: w.people.COMPLIANCE.id });

    expect(await officer.deletionRequests.retry({ id: stuck.id })).toEqual({
      id: stuck.id,
      status: "PENDING",
    });
    expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: stuck.id } })).toMatchObject({
      status: "PENDING",
      attempts: 0,
      nextAttemptAt: null,
    });
    expect(
      await t.db.auditEvent.findFirstOrThrow({
        where: { targetId: stuck.id, action: "deletion_request.retry" },
      }),
    ).toMatchObject({ actorType: "USER", actorId: w.people.COMPLIANCE.id });
  });

  it("refuse a request in the wrong status with a conflict, and a missing one as not found", async () => {
    const pending = await openedHoursAgo(w.ownOrg, "pending-subject", 1);
    const officer = w.as("COMPLIANCE");
    await expect(officer.deletionRequests.overrideHold({ id: pending.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(officer.deletionRequests.retry({ id: pending.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(officer.deletionRequests.retry({ id: "delreq_missing" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: "PENDING",
    });
  });

  it("are refused to admins and developers, and change nothing", async () => {
    const held = await openedHoursAgo(w.ownOrg, "held-refused", 1);
    await t.db.deletionRequest.update({ where: { id: held.id }, data: { status: "ON_HOLD" } });
    for (const role of ["ADMIN", "DEVELOPER"] as const) {
      await expect(w.as(role).deletionRequests.overrideHold({ id: held.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
      await expect(w.as(role).deletionRequests.retry({ id: held.id })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
    expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({
      status: "ON_HOLD",
    });
  });
});

describe("deletionRequests.processNow", () => {
  it("makes a request waiting out its backoff due now, for admins and compliance officers, audited", async () => {
    for (const role of ["ADMIN", "COMPLIANCE"] as const) {
      const request = await openedHoursAgo(w.ownOrg, `hurried-${role}`, 1);
      await t.db.deletionRequest.update({
        where: { id: request.id },
        data: { status: "FAILED", attempts: 2, nextAttemptAt: new Date(Date.now() + HOUR) },
      });
      const queued = await w.as(role).deletionRequests.processNow({ id: request.id });
      expect(queued).toMatchObject({ id: request.id, status: "FAILED" });
      expect(queued.dueBy.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
      expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
        nextAttemptAt: null,
        attempts: 2,
      });
      const audit = await t.db.auditEvent.findFirstOrThrow({
        where: { targetId: request.id, action: "deletion_request.process_now" },
      });
      expect(audit).toMatchObject({ actorId: w.people[role].id, origin: "192.0.2.10" });
    }
  });

  it("is refused to developers, and for a completed request", async () => {
    const request = await openedHoursAgo(w.ownOrg, "finished", 1);
    await expect(w.as("DEVELOPER").deletionRequests.processNow({ id: request.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await t.db.deletionRequest.update({ where: { id: request.id }, data: { status: "COMPLETED" } });
    await expect(w.as("COMPLIANCE").deletionRequests.processNow({ id: request.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("deletionRequests.list: process now", () => {
  it("offers it for a waiting or failed request, not for one that only waits for cached copies to expire", async () => {
    const pending = await openedHoursAgo(w.otherOrg, "hurry-pending", 1);
    const cacheWait = await openedHoursAgo(w.otherOrg, "hurry-cache-wait", 1);
    const done = await openedHoursAgo(w.otherOrg, "hurry-done", 1);
    await t.db.deletionRequest.update({
      where: { id: cacheWait.id },
      data: {
        progress: {
          steps: {
            chat_logs: { erased: 1, done: true },
            cache_expiry: { erased: 0, done: false, until: new Date(Date.now() + HOUR).toISOString() },
          },
        },
      },
    });
    await t.db.deletionRequest.update({ where: { id: done.id }, data: { status: "COMPLETED" } });
    const page = await w.as("COMPLIANCE").deletionRequests.list({ organizationId: w.otherOrg, limit: 100 });
    const offered = Object.fromEntries(page.items.map((item) => [item.id, item.canProcessNow]));
    expect(offered).toMatchObject({ [pending.id]: true, [cacheWait.id]: false, [done.id]: false });
    expect(page.items.find((item) => item.id === cacheWait.id)?.waiting).toMatchObject({
      step: "cache_expiry",
    });
    // the list and the mutation apply the same rule
    await expect(w.as("COMPLIANCE").deletionRequests.processNow({ id: cacheWait.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });
});

describe("deletionRequests.recordExport", () => {
  it("records the register's export with its filter and row count, for admins and compliance officers", async () => {
    for (const role of ["ADMIN", "COMPLIANCE"] as const) {
      await w.as(role).deletionRequests.recordExport({
        filter: { organizationId: w.ownOrg, status: "AT_RISK" },
        rows: 7,
      });
      const audit = await t.db.auditEvent.findFirstOrThrow({
        where: { action: "deletion_register.exported", actorId: w.people[role].id },
      });
      expect(audit).toMatchObject({
        origin: "192.0.2.10",
        organizationId: w.ownOrg,
        targetType: "deletion_register",
        targetId: w.ownOrg,
        metadata: { rows: 7, filter: { organizationId: w.ownOrg, status: "AT_RISK" } },
      });
    }
  });

  it("takes a bounded input and is refused to developers", async () => {
    const officer = w.as("COMPLIANCE");
    await expect(officer.deletionRequests.recordExport({ filter: {}, rows: 20_001 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      officer.deletionRequests.recordExport({ filter: { organizationId: "o".repeat(101) }, rows: 1 }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      w.as("DEVELOPER").deletionRequests.recordExport({ filter: {}, rows: 1 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
