import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
  await t.db.usageEvent.createMany({
    data: [1, 2].map((i) => ({
      requestId: `req_known_${i}`,
      organizationId: w.ownOrg,
      endpoint: "/v1/chat/completions",
      status: 200,
      latencyMs: 5,
      endUserId: "known-end-user",
    })),
  });
});

describe("deletionRequests.matchingRecords", () => {
  it("tells admins and compliance officers how many records an end-user id matches before filing", async () => {
    for (const role of ["ADMIN", "COMPLIANCE"] as const) {
      const known = await w.as(role).deletionRequests.matchingRecords({
        organizationId: w.ownOrg,
        endUserId: "known-end-user",
      });
      expect(known).toMatchObject({ usageEvents: { count: 2, isCapped: false }, matchesNothing: false });
    }
    const unknown = await w.as("COMPLIANCE").deletionRequests.matchingRecords({
      organizationId: w.ownOrg,
      endUserId: "typo-end-user",
    });
    expect(unknown.matchesNothing).toBe(true);
    // the same id in another organization matches nothing there
    const elsewhere = await w.as("COMPLIANCE").deletionRequests.matchingRecords({
      organizationId: w.otherOrg,
      endUserId: "known-end-user",
    });
    expect(elsewhere.matchesNothing).toBe(true);
  });

  it("refuses developers, unknown organizations and ids the API would not have accepted", async () => {
    await expect(
      w
        .as("DEVELOPER")
        .deletionRequests.matchingRecords({ organizationId: w.ownOrg, endUserId: "known-end-user" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      w.as("COMPLIANCE").deletionRequests.matchingRecords({ organizationId: "org_missing", endUserId: "x" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      w.as("COMPLIANCE").deletionRequests.matchingRecords({ organizationId: w.ownOrg, endUserId: "" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      w
        .as("COMPLIANCE")
        .deletionRequests.matchingRecords({ organizationId: w.ownOrg, endUserId: "x".repeat(10_000) }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
