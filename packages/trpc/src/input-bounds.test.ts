import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "./testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

/** The tRPC error of a call, its code and message, or "passed". */
async function refusal(call: Promise<unknown>): Promise<{ code: string; message: string } | "passed"> {
  try {
    await call;
    return "passed";
  } catch (error) {
    if (error instanceof TRPCError) return { code: error.code, message: error.message };
    throw error;
  }
}

const long = "x".repeat(101);

describe("ids and cursors are bounded before they reach a query", () => {
  it("deletion requests: the list's organization and cursor, one request's id, an action's id", async () => {
    const admin = w.as("ADMIN");
    const officer = w.as("COMPLIANCE");
    for (const call of [
      admin.deletionRequests.list({ organizationId: long }),
      admin.deletionRequests.list({ after: long }),
      admin.deletionRequests.get({ deletionRequestId: long }),
      officer.deletionRequests.overrideHold({ id: long }),
      officer.deletionRequests.retry({ id: long }),
      admin.deletionRequests.processNow({ id: long }),
    ]) {
      expect(await refusal(call)).toMatchObject({ code: "BAD_REQUEST" });
    }
    // within the bounds, the same inputs are read (nothing matches)
    expect(await admin.deletionRequests.list({ organizationId: "x".repeat(100) })).toMatchObject({
      items: [],
    });
    expect(await refusal(officer.deletionRequests.retry({ id: "x".repeat(100) }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("organizations: the list's cursor", async () => {
    expect(await refusal(w.as("ADMIN").organizations.list({ after: long }))).toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("audit log: cursors past bigint or of absurd years, and dates outside 2000 to 2100, are bad input with a sentence", async () => {
    const officer = w.as("COMPLIANCE");
    const from = new Date("2026-01-01T00:00:00Z");
    for (const input of [
      { after: "9223372036854775808" },
      { from, after: "999999999999999_1" },
      { from, after: `${from.getTime()}_9999999999999999999` },
      { from: new Date("+275760-09-13T00:00:00Z") },
    ]) {
      const refused = await refusal(officer.auditLog.search(input));
      expect(refused).toMatchObject({ code: "BAD_REQUEST" });
      expect(refused !== "passed" && refused.message).toMatch(/^[A-Z].*\.$/);
    }
    expect(await refusal(officer.auditLog.search({ after: "9223372036854775807" }))).toBe("passed");
  });

  it("audit log: a target's type without its id is refused, naming what to do instead", async () => {
    const refused = await refusal(w.as("ADMIN").auditLog.search({ targetType: "chat_log" }));
    expect(refused).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("filter by action"),
    });
    expect(await refusal(w.as("ADMIN").auditLog.search({ targetType: "chat_log", targetId: "log-1" }))).toBe(
      "passed",
    );
  });
});
