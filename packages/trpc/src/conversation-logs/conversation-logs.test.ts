import { createChatLogWriter, systemClock } from "@dsc/core";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld, TEST_KEYRING } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
const DAY = 86_400_000;
const email = "pat.doe@example.net";
const reason = "Customer complaint 8812 about an answer.";

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

/** Logs turns as the gateway does: through the chat-log writer, sealed under the dashboard's keys. */
async function logTurns(organizationId: string, endUsers: (string | null)[]): Promise<string[]> {
  const writer = createChatLogWriter(
    { db: t.db, clock: systemClock, keyring: TEST_KEYRING },
    { flushIntervalMs: 60_000 },
  );
  const requestIds = endUsers.map((_, index) => `req_trpc_${Math.random().toString(36).slice(2)}_${index}`);
  for (const [index, endUserId] of endUsers.entries()) {
    writer.record({
      requestId: requestIds[index] as string,
      organizationId,
      apiKeyId: null,
      modelId: "deepseek-chst-1.0",
      endUserId,
      messages: [{ role: "user", content: `Mail ${email} the invoice, please.` }],
      response: {
        choices: [{ index: 0, message: { role: "assistant", content: "Sent." }, finish_reason: "stop" }],
      },
      maskKinds: [],
      promptTokens: 9,
      completionTokens: 2,
      expiresAt: new Date(Date.now() + 30 * DAY),
    });
    await writer.flush();
    await new Promise((resolve) => setTimeout(resolve, 5)); // a distinct created_at each
  }
  await writer.close();
  const rows = await t.db.chatLog.findMany({
    where: { requestId: { in: requestIds } },
    select: { id: true, requestId: true },
  });
  return requestIds.map((requestId) => rows.find((row) => row.requestId === requestId)?.id as string);
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "passed";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("conversationLogs", () => {
  it("lists metadata, opens a log masked and audited with the reason, and unmasks it, audited again", async () => {
    const [older, newer] = await logTurns(w.ownOrg, ["ursula", "victor"]);
    const officer = w.as("COMPLIANCE");

    const page = await officer.conversationLogs.list({ organizationId: w.ownOrg, limit: 1 });
    expect(page.items.map((log) => log.id)).toEqual([newer]);
    const next = await officer.conversationLogs.list({
      organizationId: w.ownOrg,
      limit: 1,
      after: page.nextCursor as string,
    });
    expect(next.items.map((log) => log.id)).toEqual([older]);
    expect(
      (await officer.conversationLogs.list({ organizationId: w.ownOrg, endUserId: "ursula" })).items,
    ).toHaveLength(1);
    expect(JSON.stringify(page)).not.toContain(email);
    const ownOrganization = await t.db.organization.findUniqueOrThrow({ where: { id: w.ownOrg } });
    expect(await officer.conversationLogs.get({ chatLogId: newer as string })).toMatchObject({
      id: newer,
      organizationId: w.ownOrg,
      organizationName: ownOrganization.name,
      endUserId: "victor",
      isErased: false,
    });

    const opened = await officer.conversationLogs.open({ chatLogId: newer as string, reason });
    expect(opened.status).toBe("open");
    expect(JSON.stringify(opened)).toContain("Mail [EMAIL] the invoice");
    expect(JSON.stringify(opened)).not.toContain(email);

    const admin = w.as("ADMIN");
    const unmasked = await admin.conversationLogs.unmask({
      chatLogId: newer as string,
      reason: "The masked log does not say which address.",
    });
    expect(JSON.stringify(unmasked)).toContain(email);

    const events = await t.db.auditEvent.findMany({
      where: { targetType: "chat_log", targetId: newer as string },
      orderBy: { id: "asc" },
    });
    expect(events.map((event) => [event.action, event.actorId, event.origin])).toEqual([
      ["chat_log.viewed", w.people.COMPLIANCE.id, "192.0.2.10"],
      ["chat_log.unmasked", w.people.ADMIN.id, "192.0.2.10"],
    ]);
    expect(events[0]?.metadata).toMatchObject({ reason });

    // and the audit log finds both
    const trail = await officer.auditLog.search({ targetType: "chat_log", targetId: newer as string });
    expect(trail.items.map((event) => [event.action, event.actor?.email])).toEqual([
      ["chat_log.unmasked", expect.stringMatching(/^admin-/)],
      ["chat_log.viewed", expect.stringMatching(/^compliance-/)],
    ]);
  });

  it("refuses a developer, even for their own organization's logs, and signed-out callers", async () => {
    const [id] = await logTurns(w.ownOrg, [null]);
    const developer = w.as("DEVELOPER");
    expect(await codeOf(developer.conversationLogs.list({ organizationId: w.ownOrg }))).toBe("FORBIDDEN");
    expect(await codeOf(developer.conversationLogs.open({ chatLogId: id as string, reason }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(developer.conversationLogs.unmask({ chatLogId: id as string, reason }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(developer.auditLog.search({}))).toBe("FORBIDDEN");
    expect(await codeOf(w.caller(null).conversationLogs.get({ chatLogId: id as string }))).toBe(
      "UNAUTHORIZED",
    );
    expect(await t.db.auditEvent.count({ where: { targetId: id as string } })).toBe(0);
  });

  it("asks for a reason of 10 to 500 characters", async () => {
    const [id] = await logTurns(w.otherOrg, [null]);
    const officer = w.as("COMPLIANCE");
    for (const short of ["", "why not", "x".repeat(501)]) {
      const refused = await officer.conversationLogs
        .open({ chatLogId: id as string, reason: short })
        .catch((error) => error);
      expect(refused).toBeInstanceOf(TRPCError);
      expect(refused.code).toBe("BAD_REQUEST");
    }
    expect(await t.db.auditEvent.count({ where: { targetId: id as string } })).toBe(0);
  });

  it("answers an erased subject's log as erased, and one gone since as a message, not a failure", async () => {
    const [erased, gone] = await logTurns(w.otherOrg, ["wendy", "xavier"]);
    // an erasure's first step: the subject's data key destroyed, its logs not deleted yet
    await t.db.dataKey.updateMany({
      where: { organizationId: w.otherOrg, endUserId: "wendy" },
      data: { wrappedKey: new Uint8Array(0), destroyedAt: new Date() },
    });
    const officer = w.as("COMPLIANCE");
    const listed = await officer.conversationLogs.list({ organizationId: w.otherOrg });
    expect(listed.items.find((log) => log.id === erased)?.isErased).toBe(true);
    expect(await officer.conversationLogs.open({ chatLogId: erased as string, reason })).toMatchObject({
      status: "erased",
      log: { id: erased, isErased: true },
    });

    await t.db.chatLog.delete({ where: { id: gone as string } });
    const refused = await officer.conversationLogs
      .open({ chatLogId: gone as string, reason })
      .catch((error) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect(refused).toMatchObject({ code: "NOT_FOUND", message: "This log was erased or expired." });
    expect(await codeOf(officer.conversationLogs.get({ chatLogId: "no-such-log" }))).toBe("NOT_FOUND");
  });

  it("opens nothing without the master keys", async () => {
    const [id] = await logTurns(w.ownOrg, [null]);
    const keyless = w.caller(w.people.ADMIN, { keyring: null });
    expect(await codeOf(keyless.conversationLogs.open({ chatLogId: id as string, reason }))).toBe(
      "SERVICE_UNAVAILABLE",
    );
  });
});

describe("auditLog.search", () => {
  it("bounds its page at 1,000 events and refuses a target id without its type", async () => {
    const admin = w.as("ADMIN");
    expect(await codeOf(admin.auditLog.search({ limit: 1_001 }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.auditLog.search({ targetId: "x" }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.auditLog.search({ after: "not a cursor" }))).toBe("BAD_REQUEST");
    const page = await admin.auditLog.search({ organizationId: w.ownOrg, action: "organization.create" });
    expect(page.items).toMatchObject([
      { action: "organization.create", organizationId: w.ownOrg, actorType: "SYSTEM" },
    ]);
  });
});
