import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import {
  countDeletionDeadlines,
  createDeletionDeadlineGauges,
  deadlineRiskOf,
  NEAR_DEADLINE_MS,
} from "./deletion-deadlines.ts";
import { findDeletionRequestsAtRisk } from "./process-deletion-requests.ts";
import { requestDeletion } from "./request-deletion.ts";

let t: TestDatabase;
const NOW = new Date("2026-06-01T12:00:00Z");
const HOUR = 3_600_000;
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
});

/** An end-user erasure opened `hoursAgo` hours before NOW (so due 72 h after that). */
async function openedHoursAgo(organizationId: string, subjectId: string, hoursAgo: number) {
  const clock = { now: () => new Date(NOW.getTime() - hoursAgo * HOUR) };
  const { request } = await requestDeletion(
    { db: t.db, clock },
    { organizationId, subjectType: "END_USER", subjectId, actor },
  );
  return request;
}

describe("deadlineRiskOf", () => {
  it("flags unfinished requests past or within 12 hours of their deadline, never finished ones", () => {
    const due = (ms: number) => new Date(NOW.getTime() + ms);
    expect(deadlineRiskOf({ status: "PENDING", dueAt: due(-1) }, NOW)).toBe("overdue");
    expect(deadlineRiskOf({ status: "FAILED", dueAt: due(0) }, NOW)).toBe("overdue");
    expect(deadlineRiskOf({ status: "PROCESSING", dueAt: due(NEAR_DEADLINE_MS) }, NOW)).toBe("near_deadline");
    expect(deadlineRiskOf({ status: "PENDING", dueAt: due(NEAR_DEADLINE_MS + 1) }, NOW)).toBeNull();
    expect(deadlineRiskOf({ status: "COMPLETED", dueAt: due(-HOUR) }, NOW)).toBeNull();
  });
});

describe("countDeletionDeadlines and the worker's alert", () => {
  it("count what findDeletionRequestsAtRisk finds, split into overdue and near the deadline", async () => {
    const clock = fakeClock(NOW);
    const org = await createOrganization({ db: t.db, clock }, { name: "Deadlines", tier: "free", actor });
    expect(await countDeletionDeadlines({ db: t.db, clock })).toEqual({
      open: 0,
      nearDeadline: 0,
      overdue: 0,
      needsAttention: 0,
      onHold: 0,
    });

    const overdue = await openedHoursAgo(org.id, "overdue", 80);
    const failedOverdue = await openedHoursAgo(org.id, "failed", 73);
    await t.db.deletionRequest.update({ where: { id: failedOverdue.id }, data: { status: "FAILED" } });
    const near = await openedHoursAgo(org.id, "near", 65);
    await t.db.deletionRequest.update({
      where: { id: near.id },
      data: { status: "PROCESSING", startedAt: NOW },
    });
    await openedHoursAgo(org.id, "fresh", 1);
    // out of attempts: still open, and counted apart as waiting for a person
    const stuck = await openedHoursAgo(org.id, "stuck", 2);
    await t.db.deletionRequest.update({ where: { id: stuck.id }, data: { status: "NEEDS_ATTENTION" } });
    // held by a legal hold: not open (its deadline waits with it), counted apart
    const held = await openedHoursAgo(org.id, "held", 2);
    await t.db.deletionRequest.update({ where: { id: held.id }, data: { status: "ON_HOLD" } });
    const done = await openedHoursAgo(org.id, "done", 90);
    await t.db.deletionRequest.update({
      where: { id: done.id },
      data: { status: "COMPLETED", completedAt: NOW },
    });

    expect(await countDeletionDeadlines({ db: t.db, clock })).toEqual({
      open: 5,
      nearDeadline: 1,
      overdue: 2,
      needsAttention: 1,
      onHold: 1,
    });
    const atRisk = await findDeletionRequestsAtRisk({ db: t.db, clock });
    expect(atRisk.map((r) => r.id)).toEqual([overdue.id, failedOverdue.id, near.id]);
    expect(atRisk.map((r) => deadlineRiskOf(r, clock.now()))).toEqual([
      "overdue",
      "overdue",
      "near_deadline",
    ]);

    // 8 hours on, the near one is overdue too
    clock.advance(8 * HOUR);
    expect(await countDeletionDeadlines({ db: t.db, clock })).toEqual({
      open: 5,
      nearDeadline: 0,
      overdue: 3,
      needsAttention: 1,
      onHold: 1,
    });
  });
});

describe("createDeletionDeadlineGauges", () => {
  it("asks the database at most once per TTL, however often it is read", async () => {
    const clock = fakeClock(NOW);
    const org = await createOrganization({ db: t.db, clock }, { name: "Gauges", tier: "free", actor });
    const gauges = createDeletionDeadlineGauges({ db: t.db, clock }, { ttlMs: 15_000 });
    const first = gauges.read();
    // concurrent scrapes share one computation
    expect(gauges.read()).toBe(first);
    const before = await first;

    await openedHoursAgo(org.id, "late-comer", 100);
    clock.advance(14_999);
    expect(await gauges.read()).toEqual(before);
    clock.advance(1);
    expect(await gauges.read()).toEqual({ ...before, open: before.open + 1, overdue: before.overdue + 1 });
  });
});
