import { cliActor, createOrganization, requestDeletion } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { startTestGateway } from "../testing/start-test-gateway.ts";

const NOW = new Date("2026-06-01T12:00:00Z");
const HOUR = 3_600_000;
const actor = cliActor("test");
const clock = fakeClock(NOW);

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db, clock });
});

afterAll(async () => {
  await gateway?.close();
});

/** An end-user erasure opened `hoursAgo` hours before NOW, so due 72 hours after that. */
async function openedHoursAgo(organizationId: string, subjectId: string, hoursAgo: number) {
  const requestedAt = { now: () => new Date(NOW.getTime() - hoursAgo * HOUR) };
  const { request } = await requestDeletion(
    { db: t.db, clock: requestedAt },
    { organizationId, subjectType: "END_USER", subjectId, actor },
  );
  return request;
}

async function scrape(): Promise<string> {
  const response = await gateway.scrapeMetrics();
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of each dsc_deletion_requests_* sample. */
function deletionGauges(text: string): Record<string, number> {
  const gauges: Record<string, number> = {};
  for (const [, name, value] of text.matchAll(/^dsc_deletion_requests_(\w+) (\d+)$/gm)) {
    gauges[name as string] = Number(value);
  }
  return gauges;
}

describe("GET /metrics: deletion deadlines", () => {
  it("counts open requests, those due within 12 hours and those overdue, and nothing that names them", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Metered", tier: "free", actor });
    expect(deletionGauges(await scrape())).toEqual({
      open: 0,
      near_deadline: 0,
      overdue: 0,
      needs_attention: 0,
      on_hold: 0,
    });

    await openedHoursAgo(org.id, "pending-user", 2);
    const near = await openedHoursAgo(org.id, "near-user", 66);
    await t.db.deletionRequest.update({
      where: { id: near.id },
      data: { status: "PROCESSING", startedAt: NOW },
    });
    const overdue = await openedHoursAgo(org.id, "overdue-user", 75);
    await t.db.deletionRequest.update({ where: { id: overdue.id }, data: { status: "FAILED" } });
    const stuck = await openedHoursAgo(org.id, "stuck-user", 1);
    await t.db.deletionRequest.update({ where: { id: stuck.id }, data: { status: "NEEDS_ATTENTION" } });
    const held = await openedHoursAgo(org.id, "held-user", 1);
    await t.db.deletionRequest.update({ where: { id: held.id }, data: { status: "ON_HOLD" } });
    const done = await openedHoursAgo(org.id, "done-user", 90);
    await t.db.deletionRequest.update({
      where: { id: done.id },
      data: { status: "COMPLETED", completedAt: new Date(NOW.getTime() - 20 * HOUR) },
    });

    clock.advance(15_000); // past the cached count of the first scrape
    const text = await scrape();
    expect(text).toContain(
      "# HELP dsc_deletion_requests_overdue Deletion requests not yet completed and past their 72-hour deadline\n# TYPE dsc_deletion_requests_overdue gauge\ndsc_deletion_requests_overdue 1\n",
    );
    expect(text).toContain(
      "# HELP dsc_deletion_requests_needs_attention Deletion requests out of attempts, waiting for a compliance officer to retry them\n# TYPE dsc_deletion_requests_needs_attention gauge\ndsc_deletion_requests_needs_attention 1\n",
    );
    // a request out of attempts is still open (its deadline binds); a held one is not
    expect(deletionGauges(text)).toEqual({
      open: 4,
      near_deadline: 1,
      overdue: 1,
      needs_attention: 1,
      on_hold: 1,
    });
    expect(text).toMatch(/^dsc_rate_limiter_fallback_active 0$/m);
    for (const secret of [org.id, org.name, "-user", "delreq_"]) expect(text).not.toContain(secret);

    // 6 hours on, the processing one is overdue too
    clock.advance(6 * HOUR);
    expect(deletionGauges(await scrape())).toEqual({
      open: 4,
      near_deadline: 0,
      overdue: 2,
      needs_attention: 1,
      on_hold: 1,
    });
  });

  it("reads the database at most once per 15 seconds, however many scrapes come in", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Storm", tier: "free", actor });
    clock.advance(15_000);
    const before = deletionGauges(await scrape());
    const counts = vi.spyOn(t.db.deletionRequest, "count");
    const groups = vi.spyOn(t.db.deletionRequest, "groupBy");
    try {
      await openedHoursAgo(org.id, "storm-user", 100);
      const storm = await Promise.all(Array.from({ length: 25 }, () => scrape()));
      expect(new Set(storm.map((text) => JSON.stringify(deletionGauges(text))))).toEqual(
        new Set([JSON.stringify(before)]),
      );
      clock.advance(14_999);
      expect(deletionGauges(await scrape())).toEqual(before);
      expect(counts).not.toHaveBeenCalled();
      expect(groups).not.toHaveBeenCalled();

      clock.advance(1);
      await Promise.all(Array.from({ length: 25 }, () => scrape()));
      expect(deletionGauges(await scrape())).toEqual({
        ...before,
        open: (before.open ?? 0) + 1,
        overdue: (before.overdue ?? 0) + 1,
      });
      // one count of each deadline gauge, one of the statuses, for the whole storm
      expect(counts).toHaveBeenCalledTimes(3);
      expect(groups).toHaveBeenCalledTimes(1);
    } finally {
      counts.mockRestore();
      groups.mockRestore();
    }
  });

  it("serves the other metrics when the database cannot count, and logs that once", async () => {
    clock.advance(15_000);
    const counts = vi.spyOn(t.db.deletionRequest, "count").mockRejectedValue(new Error("database is down"));
    try {
      const texts = await Promise.all([scrape(), scrape(), scrape()]);
      for (const text of texts) {
        expect(deletionGauges(text)).toEqual({});
        expect(text).toMatch(/^dsc_rate_limiter_fallback_active 0$/m);
      }
      expect(
        gateway.logLines.filter((line) => line.includes("could not count deletion requests")),
      ).toHaveLength(1);
    } finally {
      counts.mockRestore();
    }
    clock.advance(15_000);
    expect(deletionGauges(await scrape())).toHaveProperty("overdue");
  });
});
