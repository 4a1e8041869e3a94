import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createUser } from "../users/create-user.ts";
import { type Actor, cliActor } from "./actor.ts";
import { recordAuditEvent } from "./record-audit-event.ts";
import { searchAuditEvents } from "./search-audit-events.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-03-01T09:00:00Z"));
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestDatabase();
});

describe("searchAuditEvents", () => {
  it("pages newest first under each filter, with people's and organizations' names", async () => {
    const deps = { db: t.db, clock };
    const org = await createOrganization(deps, { name: "Audited", tier: "free", actor: cliActor("test") });
    const person = await createUser(deps, {
      email: "auditor@example.com",
      name: "Ada Auditor",
      role: "COMPLIANCE",
      organizationId: null,
      password: "a test password 123",
      actor: cliActor("test"),
    });
    const ada: Actor = { type: "USER", id: person.id, origin: "192.0.2.3" };
    const start = clock.now();
    const record = async (actor: Actor, action: string, targetId: string, organizationId: string | null) => {
      clock.advance(MINUTE);
      await recordAuditEvent(t.db, clock, {
        actor,
        action,
        target: { type: "chat_log", id: targetId },
        organizationId,
        metadata: { reason: `about ${targetId}` },
      });
    };
    await record(ada, "chat_log.viewed", "log-1", org.id);
    await record(cliActor("worker"), "chat_log.purge_expired", "log-2", org.id);
    await record(ada, "chat_log.unmasked", "log-1", org.id);
    await record(ada, "chat_log.viewed", "log-3", null);

    const targets = async (input: Omit<Parameters<typeof searchAuditEvents>[1], "limit">) =>
      (await searchAuditEvents(t.db, { limit: 50, ...input })).items
        .filter((event) => event.targetType === "chat_log")
        .map((event) => `${event.action} ${event.targetId}`);

    expect(await targets({ actorId: person.id })).toEqual([
      "chat_log.viewed log-3",
      "chat_log.unmasked log-1",
      "chat_log.viewed log-1",
    ]);
    expect(await targets({ action: "chat_log.viewed" })).toEqual([
      "chat_log.viewed log-3",
      "chat_log.viewed log-1",
    ]);
    expect(await targets({ targetType: "chat_log", targetId: "log-1" })).toEqual([
      "chat_log.unmasked log-1",
      "chat_log.viewed log-1",
    ]);
    expect(await targets({ organizationId: org.id })).toEqual([
      "chat_log.unmasked log-1",
      "chat_log.purge_expired log-2",
      "chat_log.viewed log-1",
    ]);
    expect(
      await targets({
        from: new Date(start.getTime() + 2 * MINUTE),
        to: new Date(start.getTime() + 4 * MINUTE),
      }),
    ).toEqual(["chat_log.unmasked log-1", "chat_log.purge_expired log-2"]);

    const [latest] = (await searchAuditEvents(t.db, { limit: 1, actorId: person.id })).items;
    expect(latest).toMatchObject({
      actorType: "USER",
      actorId: person.id,
      actor: { name: "Ada Auditor", email: "auditor@example.com" },
      organizationId: null,
      organizationName: null,
      origin: "192.0.2.3",
      metadata: { reason: "about log-3" },
    });
    const [purge] = (await searchAuditEvents(t.db, { limit: 1, action: "chat_log.purge_expired" })).items;
    expect(purge).toMatchObject({ actorType: "SYSTEM", actor: null, organizationName: "Audited" });

    // pages: by id without a time filter, by (time, id) with one
    for (const filter of [{ actorId: person.id }, { actorId: person.id, from: start }]) {
      const seen: string[] = [];
      let after: string | undefined;
      do {
        const page = await searchAuditEvents(t.db, { ...filter, limit: 2, ...(after ? { after } : {}) });
        seen.push(...page.items.map((event) => event.targetId));
        after = page.nextCursor ?? undefined;
      } while (after);
      expect(seen).toEqual(["log-3", "log-1", "log-1"]);
    }
  });

  it("refuses a cursor it did not give and a target id without its type", async () => {
    await expect(searchAuditEvents(t.db, { limit: 5, after: "1; DROP TABLE" })).rejects.toMatchObject({
      code: "invalid",
      param: "after",
    });
    await expect(searchAuditEvents(t.db, { limit: 5, from: new Date(), after: "12" })).rejects.toMatchObject({
      code: "invalid",
    });
    await expect(searchAuditEvents(t.db, { limit: 5, targetId: "x" })).rejects.toMatchObject({
      code: "invalid",
      param: "targetType",
    });
  });

  it("refuses, as bad input, cursors past bigint and absurd years, and a target type without its id", async () => {
    const refused = (input: Parameters<typeof searchAuditEvents>[1]) =>
      expect(searchAuditEvents(t.db, input)).rejects.toMatchObject({ code: "invalid" });
    // 19 digits, one past bigint's largest; and the largest itself is a cursor (nothing after it)
    await refused({ limit: 5, after: "9223372036854775808" });
    await refused({ limit: 5, after: "9999999999999999999" });
    expect((await searchAuditEvents(t.db, { limit: 5, after: "9223372036854775807" })).items).toBeDefined();
    const from = new Date("2026-01-01T00:00:00Z");
    // the year 33658, and the year 1970
    await refused({ limit: 5, from, after: "999999999999999_12" });
    await refused({ limit: 5, from, after: "0_12" });
    await refused({ limit: 5, from, after: `${from.getTime()}_9223372036854775808` });
    expect((await searchAuditEvents(t.db, { limit: 5, from, after: `${from.getTime()}_12` })).items).toEqual(
      [],
    );
    await refused({ limit: 5, from: new Date("+275760-09-13T00:00:00Z") });
    await refused({ limit: 5, to: new Date("1900-01-01T00:00:00Z") });
    await expect(searchAuditEvents(t.db, { limit: 5, targetType: "chat_log" })).rejects.toMatchObject({
      code: "invalid",
      param: "targetId",
    });
  });
});
