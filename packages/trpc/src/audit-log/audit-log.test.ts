import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "passed";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("auditLog.recordExport", () => {
  it("records who exported the log, under which filter and how many events, found by search", async () => {
    const from = new Date("2026-11-01T00:00:00.000Z");
    const to = new Date("2026-12-01T00:00:00.000Z");
    await w.as("COMPLIANCE").auditLog.recordExport({
      filter: { organizationId: w.ownOrg, action: "chat_log.viewed", from, to },
      rows: 42,
    });
    const page = await w
      .as("ADMIN")
      .auditLog.search({ action: "audit_log.exported", organizationId: w.ownOrg });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      actorType: "USER",
      actorId: w.people.COMPLIANCE.id,
      origin: "192.0.2.10",
      targetType: "audit_log",
      targetId: w.ownOrg,
      organizationId: w.ownOrg,
      metadata: {
        rows: 42,
        filter: {
          organizationId: w.ownOrg,
          action: "chat_log.viewed",
          from: from.toISOString(),
          to: to.toISOString(),
        },
      },
    });

    await w.as("ADMIN").auditLog.recordExport({ filter: {}, rows: 0 });
    const unfiltered = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "audit_log.exported", actorId: w.people.ADMIN.id },
    });
    expect(unfiltered).toMatchObject({
      targetId: "all",
      organizationId: null,
      metadata: { rows: 0, filter: {} },
    });
  });

  it("takes a bounded input: a row count within the export's cap, a valid filter", async () => {
    const admin = w.as("ADMIN");
    expect(await codeOf(admin.auditLog.recordExport({ filter: {}, rows: 100_001 }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.auditLog.recordExport({ filter: {}, rows: -1 }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.auditLog.recordExport({ filter: { action: "x".repeat(201) }, rows: 1 }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(admin.auditLog.recordExport({ filter: { targetId: "t_1" }, rows: 1 }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("is refused to developers", async () => {
    expect(await codeOf(w.as("DEVELOPER").auditLog.recordExport({ filter: {}, rows: 1 }))).toBe("FORBIDDEN");
    expect(
      await t.db.auditEvent.count({
        where: { action: "audit_log.exported", actorId: w.people.DEVELOPER.id },
      }),
    ).toBe(0);
  });
});
