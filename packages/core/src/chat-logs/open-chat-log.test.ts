import type { ChatMessage } from "@dsc/api-client";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { type Actor, cliActor } from "../audit/actor.ts";
import { createApiKey } from "../credentials/api-keys.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createChatLogWriter } from "./chat-log-writer.ts";
import { recordErasureStarted } from "./erasure-tombstones.ts";
import { listChatLogs } from "./list-chat-logs.ts";
import { getChatLogSummary, openChatLog } from "./open-chat-log.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-06-01T00:00:00Z"));
const keyring = parseMasterKeyring(Buffer.alloc(32, 5).toString("base64"));
const DAY = 86_400_000;
const viewer: Actor = { type: "USER", id: "usr_viewer", origin: "192.0.2.7" };
const deps = () => ({ db: t.db, clock, keyring });

beforeAll(async () => {
  t = await createTestDatabase();
});

interface Turn {
  organizationId: string;
  apiKeyId?: string | null;
  modelId?: string;
  endUserId?: string | null;
  messages?: ChatMessage[];
  streamedText?: string;
}

/** Writes each turn through the chat-log writer, a minute apart, and returns their ids in order. */
async function writeTurns(turns: Turn[]): Promise<string[]> {
  const writer = createChatLogWriter({ db: t.db, clock, keyring }, { flushIntervalMs: 60_000 });
  const requestIds: string[] = [];
  for (const turn of turns) {
    const requestId = `req_${Math.random().toString(36).slice(2)}`;
    requestIds.push(requestId);
    writer.record({
      requestId,
      organizationId: turn.organizationId,
      apiKeyId: turn.apiKeyId ?? null,
      modelId: turn.modelId ?? "deepseek-chst-1.0",
      endUserId: turn.endUserId ?? null,
      messages: turn.messages ?? [{ role: "user", content: `hello from ${requestId}` }],
      response: turn.streamedText
        ? { streamedText: turn.streamedText }
        : { choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }] },
      maskKinds: [],
      promptTokens: 7,
      completionTokens: 3,
      expiresAt: new Date(clock.now().getTime() + 30 * DAY),
    });
    await writer.flush();
    clock.advance(60_000);
  }
  await writer.close();
  const rows = await t.db.chatLog.findMany({
    where: { requestId: { in: requestIds } },
    select: { id: true, requestId: true },
  });
  const byRequest = new Map(rows.map((row) => [row.requestId, row.id]));
  return requestIds.map((requestId) => byRequest.get(requestId) as string);
}

const newOrganization = (name: string) =>
  createOrganization({ db: t.db, clock }, { name, tier: "free", actor: cliActor("test") });

describe("listChatLogs", () => {
  it("lists an organization's logs newest first, metadata only, by key, end user, model and time, in pages", async () => {
    const org = await newOrganization("Listed");
    const other = await newOrganization("Not listed");
    const { key } = await createApiKey(
      { db: t.db, clock, pepper: "p".repeat(32) },
      {
        organizationId: org.id,
        name: "Support bot",
        actor: cliActor("test"),
      },
    );
    const start = clock.now();
    const ids = await writeTurns([
      { organizationId: org.id, apiKeyId: key.id, endUserId: "alice" },
      { organizationId: org.id, endUserId: "bob", modelId: "other-model" },
      { organizationId: org.id, apiKeyId: key.id, endUserId: "alice" },
      { organizationId: other.id, endUserId: "alice" },
      { organizationId: org.id },
    ]);
    const [a1, b, a2, , none] = ids;
    const list = async (filter: Partial<Parameters<typeof listChatLogs>[1]>) =>
      (await listChatLogs(deps(), { organizationId: org.id, limit: 25, ...filter })).items.map(
        (log) => log.id,
      );

    expect(await list({})).toEqual([none, a2, b, a1]);
    expect(await list({ endUserId: "alice" })).toEqual([a2, a1]);
    expect(await list({ apiKeyId: key.id })).toEqual([a2, a1]);
    expect(await list({ modelId: "other-model" })).toEqual([b]);
    expect(
      await list({ from: new Date(start.getTime() + 60_000), to: new Date(start.getTime() + 3 * 60_000) }),
    ).toEqual([a2, b]);

    const first = await listChatLogs(deps(), { organizationId: org.id, limit: 3 });
    expect(first.items.map((log) => log.id)).toEqual([none, a2, b]);
    expect(first.items[1]).toMatchObject({
      apiKeyId: key.id,
      apiKeyName: "Support bot",
      endUserId: "alice",
      modelId: "deepseek-chst-1.0",
      promptTokens: 7,
      completionTokens: 3,
      isErased: false,
    });
    expect(JSON.stringify(first)).not.toContain("hello from");
    // the cursor holds its place when the row it names is gone since
    await t.db.chatLog.delete({ where: { id: b as string } });
    const second = await listChatLogs(deps(), {
      organizationId: org.id,
      limit: 3,
      after: first.nextCursor as string,
    });
    expect(second.items.map((log) => log.id)).toEqual([a1]);
    expect(second.nextCursor).toBeNull();
    await expect(
      listChatLogs(deps(), { organizationId: org.id, limit: 3, after: "nonsense" }),
    ).rejects.toMatchObject({
      code: "invalid",
    });
  });

  it("leaves out expired logs", async () => {
    const org = await newOrganization("Expiring");
    const [id] = await writeTurns([{ organizationId: org.id }]);
    expect((await listChatLogs(deps(), { organizationId: org.id, limit: 5 })).items).toHaveLength(1);
    clock.advance(31 * DAY);
    expect((await listChatLogs(deps(), { organizationId: org.id, limit: 5 })).items).toHaveLength(0);
    await expect(getChatLogSummary(deps(), { id: id as string, organizationId: null })).rejects.toMatchObject(
      {
        code: "not_found",
        message: "This log was erased or expired.",
      },
    );
  });
});

describe("openChatLog", () => {
  const email = "jane.roe@example.org";

  it("decrypts a log masked of every kind of personal data, unmasks it on request, and audits both with the reason", async () => {
    const org = await newOrganization("Opened");
    const [id] = await writeTurns([
      {
        organizationId: org.id,
        endUserId: "carol",
        messages: [
          { role: "system", content: "You are helpful." },
          { role: "user", content: `Please write to ${email} about my order.` },
          {
            role: "assistant",
            content: null,
            tool_calls: [
              {
                id: "call_1",
                type: "function",
                function: { name: "send_mail", arguments: `{"to":"${email}"}` },
              },
            ],
          },
          { role: "tool", tool_call_id: "call_1", content: "sent" },
        ],
        streamedText: `Done, I wrote to ${email}.`,
      },
    ]);
    const reason = `Ticket 4411: customer ${"complaint"} about a reply`;

    const opened = await openChatLog(deps(), {
      id: id as string,
      organizationId: null,
      actor: viewer,
      reason,
      unmasked: false,
    });
    if (opened.status !== "open") throw new Error("expected the log to open");
    expect(JSON.stringify(opened.conversation)).not.toContain(email);
    expect(opened.conversation.isMasked).toBe(true);
    expect(opened.conversation.messages.map((message) => message.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
    ]);
    expect(opened.conversation.messages[1]?.parts).toEqual([
      {
        type: "text",
        text: {
          text: "Please write to [EMAIL] about my order.",
          length: `Please write to ${email} about my order.`.length,
          isTruncated: false,
        },
      },
    ]);
    expect(opened.conversation.messages[2]?.toolCalls[0]).toMatchObject({
      id: "call_1",
      name: { text: "send_mail" },
      arguments: { text: '{"to":"[EMAIL]"}' },
    });
    expect(opened.conversation.messages[3]?.toolCallId).toBe("call_1");
    expect(opened.conversation.response).toEqual({
      type: "stream",
      text: {
        text: "Done, I wrote to [EMAIL].",
        length: `Done, I wrote to ${email}.`.length,
        isTruncated: false,
      },
    });
    expect(opened.log).toMatchObject({ id, endUserId: "carol", isErased: false });

    const unmasked = await openChatLog(deps(), {
      id: id as string,
      organizationId: org.id,
      actor: viewer,
      reason: "The masked text does not show which address the mail went to.",
      unmasked: true,
    });
    if (unmasked.status !== "open") throw new Error("expected the log to open");
    expect(unmasked.conversation.isMasked).toBe(false);
    expect(JSON.stringify(unmasked.conversation)).toContain(email);

    const events = await t.db.auditEvent.findMany({
      where: { targetType: "chat_log", targetId: id as string },
      orderBy: { id: "asc" },
    });
    expect(events.map((event) => [event.action, event.actorId, event.origin, event.organizationId])).toEqual([
      ["chat_log.viewed", viewer.id, viewer.origin, org.id],
      ["chat_log.unmasked", viewer.id, viewer.origin, org.id],
    ]);
    expect(events[0]?.metadata).toMatchObject({ reason });
  });

  it("keeps personal data out of the reason it records", async () => {
    const org = await newOrganization("Reasons");
    const [id] = await writeTurns([{ organizationId: org.id }]);
    await openChatLog(deps(), {
      id: id as string,
      organizationId: null,
      actor: viewer,
      reason: `Complaint from ${email} about an answer`,
      unmasked: false,
    });
    const event = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: id as string } });
    expect(event.metadata).toMatchObject({ reason: "Complaint from [EMAIL] about an answer" });
  });

  it("refuses without a reason of 10 to 500 characters, and records nothing", async () => {
    const org = await newOrganization("No reason");
    const [id] = await writeTurns([{ organizationId: org.id }]);
    for (const reason of ["", "   short  ", "x".repeat(501)]) {
      await expect(
        openChatLog(deps(), {
          id: id as string,
          organizationId: null,
          actor: viewer,
          reason,
          unmasked: false,
        }),
      ).rejects.toMatchObject({ code: "invalid", param: "reason" });
    }
    expect(await t.db.auditEvent.count({ where: { targetId: id as string } })).toBe(0);
  });

  it("answers a log of an erased subject as erased, without reading it", async () => {
    const org = await newOrganization("Erased");
    const [before, after, destroyed] = await writeTurns([
      { organizationId: org.id, endUserId: "dave" },
      { organizationId: org.id, endUserId: "erin" },
      { organizationId: org.id, endUserId: "frank" },
    ]);
    // dave's erasure started after his log was written; erin's before hers (her new traffic)
    await recordErasureStarted(t.db, { type: "END_USER", organizationId: org.id, id: "dave" }, clock.now());
    await recordErasureStarted(t.db, { type: "END_USER", organizationId: org.id, id: "erin" }, new Date(0));
    await t.db.dataKey.updateMany({
      where: { organizationId: org.id, endUserId: "frank" },
      data: { wrappedKey: new Uint8Array(0), destroyedAt: clock.now() },
    });

    const listed = await listChatLogs(deps(), { organizationId: org.id, limit: 10 });
    expect(Object.fromEntries(listed.items.map((log) => [log.endUserId, log.isErased]))).toEqual({
      dave: true,
      erin: false,
      frank: true,
    });
    for (const id of [before, destroyed]) {
      const opened = await openChatLog(deps(), {
        id: id as string,
        organizationId: null,
        actor: viewer,
        reason: "Checking what an erasure left behind.",
        unmasked: false,
      });
      expect(opened.status).toBe("erased");
      expect(opened).not.toHaveProperty("conversation");
    }
    expect(
      (
        await openChatLog(deps(), {
          id: after as string,
          organizationId: null,
          actor: viewer,
          reason: "Checking what an erasure left behind.",
          unmasked: false,
        })
      ).status,
    ).toBe("open");
    expect(
      await t.db.auditEvent.count({ where: { targetId: { in: [before as string, destroyed as string] } } }),
    ).toBe(0);

    // an organization's erasure covers every log of it
    await recordErasureStarted(
      t.db,
      { type: "ORGANIZATION", organizationId: org.id, id: org.id },
      clock.now(),
    );
    expect((await getChatLogSummary(deps(), { id: after as string, organizationId: null })).isErased).toBe(
      true,
    );
  });

  it("answers a log deleted since, another organization's, or a malformed id as not found", async () => {
    const org = await newOrganization("Deleted");
    const other = await newOrganization("Someone else");
    const [gone, elsewhere] = await writeTurns([{ organizationId: org.id }, { organizationId: other.id }]);
    await t.db.chatLog.delete({ where: { id: gone as string } });
    const open = (id: string, organizationId: string | null) =>
      openChatLog(deps(), {
        id,
        organizationId,
        actor: viewer,
        reason: "Looking into a complaint.",
        unmasked: false,
      });
    for (const [id, organizationId] of [
      [gone as string, null],
      [elsewhere as string, org.id],
      ["not-a-uuid", null],
    ] as const) {
      await expect(open(id, organizationId)).rejects.toMatchObject({
        code: "not_found",
        message: "This log was erased or expired.",
      });
    }
  });
});
