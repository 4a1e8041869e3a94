import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "./actor.ts";
import { recordAuditEvent } from "./record-audit-event.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

describe("the audit trail", () => {
  it("accepts new events and refuses UPDATE, DELETE and TRUNCATE in the database itself", async () => {
    await recordAuditEvent(t.db, fakeClock(), {
      actor: cliActor("test"),
      action: "test.append",
      target: { type: "test", id: "1" },
    });
    expect(await t.db.auditEvent.count({ where: { action: "test.append" } })).toBe(1);
    await expect(t.db.$executeRaw`UPDATE audit_event SET action = 'rewritten'`).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.$executeRaw`DELETE FROM audit_event`).rejects.toThrow(/append-only/);
    await expect(t.db.$executeRaw`TRUNCATE audit_event`).rejects.toThrow(/append-only/);
    expect(await t.db.auditEvent.count({ where: { action: "test.append" } })).toBe(1);
  });
});
