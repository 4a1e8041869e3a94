import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { getDeletionRequestReport } from "./get-deletion-request-report.ts";
import { processDeletionRequests } from "./process-deletion-requests.ts";
import { requestDeletion } from "./request-deletion.ts";
import { requestEndUserErasure } from "./request-end-user-erasure.ts";
import { searchDeletionRequests } from "./search-deletion-requests.ts";
import { usageIdentityEraser } from "./subject-eraser.ts";

let t: TestDatabase;
const HOUR = 3_600_000;
const clock = fakeClock(new Date("2026-06-01T12:00:00Z"));
const actor = cliActor("test");
const deps = () => ({ db: t.db, clock });

beforeAll(async () => {
  t = await createTestDatabase();
});

async function openErasure(organizationId: string, subjectId: string) {
  clock.advance(1_000);
  return (await requestDeletion(deps(), { organizationId, subjectType: "END_USER", subjectId, actor }))
    .request;
}

describe("searchDeletionRequests", () => {
  it("lists newest first, filters by organization, status and deadline risk, and pages", async () => {
    const org = await createOrganization(deps(), { name: "Erasures", tier: "free", actor });
    const other = await createOrganization(deps(), { name: "Elsewhere", tier: "free", actor });
    const oldest = await openErasure(org.id, "oldest");
    clock.advance(10 * HOUR);
    const failed = await openErasure(org.id, "failed");
    await t.db.deletionRequest.update({ where: { id: failed.id }, data: { status: "FAILED" } });
    clock.advance(55 * HOUR);
    const newest = await openErasure(org.id, "newest");
    const elsewhere = await openErasure(other.id, "elsewhere");
    // 65 h after the first: it is 7 h from its deadline, the failed one 17 h

    const ids = async (input: Parameters<typeof searchDeletionRequests>[1]) =>
      (await searchDeletionRequests(deps(), input)).items.map((r) => r.id);
    expect(await ids({ organizationId: org.id })).toEqual([newest.id, failed.id, oldest.id]);
    expect(await ids({ organizationId: org.id, status: "FAILED" })).toEqual([failed.id]);
    expect(await ids({ organizationId: org.id, status: "AT_RISK" })).toEqual([oldest.id]);
    expect(await ids({ status: "PENDING" })).toEqual([elsewhere.id, newest.id, oldest.id]);

    const page = await searchDeletionRequests(deps(), { organizationId: org.id, limit: 2 });
    expect(page.items[0]).toMatchObject({
      id: newest.id,
      organizationName: "Erasures",
      subjectType: "END_USER",
      subjectId: "newest",
      status: "PENDING",
      requestedBy: "system:test",
      risk: null,
    });
    expect(page.items[1]?.risk).toBeNull();
    expect(page.nextCursor).toBe(failed.id);
    const rest = await searchDeletionRequests(deps(), {
      organizationId: org.id,
      after: page.nextCursor ?? "",
    });
    expect(rest.items.map((r) => [r.id, r.risk])).toEqual([[oldest.id, "near_deadline"]]);
    expect(rest.nextCursor).toBeNull();

    clock.advance(8 * HOUR);
    const later = await searchDeletionRequests(deps(), { organizationId: org.id, status: "AT_RISK" });
    expect(later.items.map((r) => [r.id, r.risk])).toEqual([
      [failed.id, "near_deadline"],
      [oldest.id, "overdue"],
    ]);
  });
});

describe("getDeletionRequestReport", () => {
  it("shows what the worker erased, its report's SHA-256 and whether it was late", async () => {
    const org = await createOrganization(deps(), { name: "Reported", tier: "free", actor });
    for (const requestId of ["req_a", "req_b"]) {
      await t.db.usageEvent.create({
        data: {
          requestId,
          organizationId: org.id,
          endpoint: "/v1/chat/completions",
          status: 200,
          latencyMs: 3,
          endUserId: "carol",
        },
      });
    }
    const request = await openErasure(org.id, "carol");
    const pending = await getDeletionRequestReport(deps(), { id: request.id });
    expect(pending).toMatchObject({ status: "PENDING", erased: null, reportSha256: null, isLate: false });

    clock.advance(73 * HOUR);
    // only this organization's request: the others of this file are not due for processing here
    await t.db.deletionRequest.updateMany({
      where: { organizationId: { not: org.id }, status: { in: ["PENDING", "FAILED"] } },
      data: { status: "COMPLETED" },
    });
    expect(await processDeletionRequests({ ...deps(), erasers: [usageIdentityEraser(t.db)] })).toEqual({
      completed: 1,
      failed: 0,
      needsAttention: 0,
      onHold: 0,
      resumable: 0,
      waiting: 0,
    });
    const report = await getDeletionRequestReport(deps(), { id: request.id, organizationId: org.id });
    expect(report).toMatchObject({
      id: request.id,
      organizationName: "Reported",
      status: "COMPLETED",
      erased: { usage_identities: 2 },
      isLate: true,
      risk: null,
    });
    const stored = await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(report.reportSha256).toBe(stored.reportSha256);
    expect(report.reportSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.reportSha256).not.toBe(createHash("sha256").update("").digest("hex"));
  });

  it("does not find another organization's request, nor an unknown one", async () => {
    const org = await createOrganization(deps(), { name: "Mine", tier: "free", actor });
    const other = await createOrganization(deps(), { name: "Theirs", tier: "free", actor });
    const request = await openErasure(other.id, "dave");
    await expect(
      getDeletionRequestReport(deps(), { id: request.id, organizationId: org.id }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(getDeletionRequestReport(deps(), { id: "delreq_nope" })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("requestEndUserErasure", () => {
  it("opens an end user's erasure once, audited, and reports an unknown organization", async () => {
    const org = await createOrganization(deps(), { name: "Asked", tier: "free", actor });
    const opened = await requestEndUserErasure(deps(), {
      organizationId: org.id,
      endUserId: "erin",
      actor,
    });
    expect(opened.created).toBe(true);
    expect(opened.request).toMatchObject({ subjectType: "END_USER", subjectId: "erin", status: "PENDING" });
    const again = await requestEndUserErasure(deps(), { organizationId: org.id, endUserId: "erin", actor });
    expect(again).toEqual({ request: opened.request, created: false });
    // the id as received, never trimmed: " erin " is another end user, as the API stores it
    const spaced = await requestEndUserErasure(deps(), {
      organizationId: org.id,
      endUserId: " erin ",
      actor,
    });
    expect(spaced.created).toBe(true);
    expect(spaced.request.subjectId).toBe(" erin ");
    const audit = await t.db.auditEvent.findMany({ where: { targetId: opened.request.id } });
    expect(audit.map((a) => a.action)).toEqual(["deletion_request.create"]);

    await expect(
      requestEndUserErasure(deps(), { organizationId: "org_doesnotexist", endUserId: "erin", actor }),
    ).rejects.toMatchObject({ code: "not_found", param: "organizationId" });
  });
});
