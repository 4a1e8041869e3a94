import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createChatLogWriter } from "../chat-logs/chat-log-writer.ts";
import { readChatLogs } from "../chat-logs/read-chat-logs.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { exportSubjectData } from "./export-subject-data.ts";
import { findDeletionRequestsAtRisk, processDeletionRequests } from "./process-deletion-requests.ts";
import { getDeletionRequest, requestDeletion } from "./request-deletion.ts";
import { accountEraser, chatLogEraser, usageIdentityEraser } from "./subject-eraser.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-06-01T00:00:00Z"));
const keyring = parseMasterKeyring(Buffer.alloc(32, 7).toString("base64"));
const actor = cliActor("test");
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
});

/** Every row of every table as text: what a pg_dump of the data would contain. */
async function dumpAllRows(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
    );
    let dump = "";
    for (const { tablename } of tables) {
      const { rows } = await client.query(
        `SELECT t::text AS row FROM ${client.escapeIdentifier(tablename)} t`,
      );
      dump += rows.map((r) => r.row).join("\n");
    }
    return dump;
  } finally {
    await client.end();
  }
}

async function seedTurns(orgId: string, users: (string | null)[]) {
  const writer = createChatLogWriter({ db: t.db, clock, keyring }, { flushIntervalMs: 60_000 });
  for (const [i, user] of users.entries()) {
    writer.record({
      requestId: `req_${orgId}_${i}`,
      organizationId: orgId,
      apiKeyId: null,
      modelId: "deepseek-chst-1.0",
      endUserId: user,
      messages: [{ role: "user", content: `secret message ${i} from ${user ?? "org"} ${orgId}` }],
      response: {
        choices: [{ index: 0, message: { role: "assistant", content: `reply ${i}` }, finish_reason: "stop" }],
      },
      promptTokens: 5,
      completionTokens: 2,
      expiresAt: new Date(clock.now().getTime() + 30 * 24 * HOUR),
    });
    await t.db.usageEvent.create({
      data: {
        requestId: `req_${orgId}_${i}`,
        organizationId: orgId,
        endpoint: "/v1/chat/completions",
        status: 200,
        latencyMs: 5,
        promptTokens: 5,
        completionTokens: 2,
        endUserId: user,
      },
    });
  }
  await writer.close();
}

describe("encrypted conversation logs", () => {
  it("store no plaintext anywhere in the database, and decrypt for an audited reader", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Logs", tier: "free", actor });
    await seedTurns(org.id, ["alice", null]);
    const dump = await dumpAllRows(t.url);
    expect(dump).toContain(org.id); // the scan does see the tables
    expect(dump).not.toContain("secret message");
    expect(dump).not.toContain("reply 0");

    const logs = await readChatLogs(
      { db: t.db, clock, keyring },
      { organizationId: org.id, actor, purpose: "test" },
    );
    expect(logs.map((l) => (l.messages as { content: string }[])[0]?.content)).toEqual([
      `secret message 0 from alice ${org.id}`,
      `secret message 1 from org ${org.id}`,
    ]);
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "chat_log.decrypt", organizationId: org.id },
    });
    expect(audit.metadata).toMatchObject({ count: 2, purpose: "test" });
  });
});

describe("erasure of an end user", () => {
  it("removes that user's logs, keys and identity from usage, and nothing of anyone else", async () => {
    const acme = await createOrganization({ db: t.db, clock }, { name: "Acme", tier: "free", actor });
    const other = await createOrganization({ db: t.db, clock }, { name: "Other", tier: "free", actor });
    await seedTurns(acme.id, ["alice", "alice", "bob", null]);
    await seedTurns(other.id, ["alice"]);

    const first = await requestDeletion(
      { db: t.db, clock },
      { organizationId: acme.id, subjectType: "END_USER", subjectId: "alice", actor },
    );
    expect(first.created).toBe(true);
    expect(first.request.dueAt.getTime() - first.request.createdAt.getTime()).toBe(72 * HOUR);
    const again = await requestDeletion(
      { db: t.db, clock },
      { organizationId: acme.id, subjectType: "END_USER", subjectId: "alice", actor },
    );
    expect(again).toEqual({ request: first.request, created: false });

    const erasers = [chatLogEraser(t.db), usageIdentityEraser(t.db), accountEraser(t.db)];
    clock.advance(HOUR);
    expect(await processDeletionRequests({ db: t.db, clock, erasers })).toEqual({ completed: 1, failed: 0 });

    const done = await getDeletionRequest({ db: t.db }, { organizationId: acme.id, id: first.request.id });
    expect(done.status).toBe("COMPLETED");
    expect(done.report).toMatchObject({ erased: { chat_logs: 2, usage_identities: 2, accounts: 0 } });
    expect(done.reportSha256).toMatch(/^[0-9a-f]{64}$/);

    // nothing of alice@acme remains, in any table
    expect(await t.db.chatLog.count({ where: { organizationId: acme.id, endUserId: "alice" } })).toBe(0);
    expect(await t.db.dataKey.count({ where: { organizationId: acme.id, endUserId: "alice" } })).toBe(0);
    expect(await t.db.usageEvent.count({ where: { organizationId: acme.id, endUserId: "alice" } })).toBe(0);
    expect(await t.db.usageEvent.count({ where: { organizationId: acme.id } })).toBe(4); // counts stay
    // everyone else is untouched
    expect(await t.db.chatLog.count({ where: { organizationId: acme.id, endUserId: "bob" } })).toBe(1);
    expect(await t.db.chatLog.count({ where: { organizationId: acme.id, endUserId: null } })).toBe(1);
    expect(await t.db.chatLog.count({ where: { organizationId: other.id, endUserId: "alice" } })).toBe(1);
    expect(await t.db.usageEvent.count({ where: { organizationId: other.id, endUserId: "alice" } })).toBe(1);

    // another organization cannot see the request
    await expect(
      getDeletionRequest({ db: t.db }, { organizationId: other.id, id: first.request.id }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("exports what is kept about a user, and nothing after erasure", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Export", tier: "free", actor });
    await seedTurns(org.id, ["carol", "dave"]);
    const exported = await exportSubjectData(
      { db: t.db, clock, keyring },
      { organizationId: org.id, endUserId: "carol", actor },
    );
    expect(exported.chatLogs).toHaveLength(1);
    expect(JSON.stringify(exported.chatLogs[0]?.messages)).toContain("from carol");
    expect(await t.db.auditEvent.count({ where: { action: "subject.export", targetId: "carol" } })).toBe(1);
  });

  it("flags requests near or past their deadline", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "SLA", tier: "free", actor });
    const { request } = await requestDeletion(
      { db: t.db, clock },
      { organizationId: org.id, subjectType: "END_USER", subjectId: "late", actor },
    );
    expect((await findDeletionRequestsAtRisk({ db: t.db, clock })).map((r) => r.id)).not.toContain(
      request.id,
    );
    clock.advance(61 * HOUR);
    expect((await findDeletionRequestsAtRisk({ db: t.db, clock })).map((r) => r.id)).toContain(request.id);
  });
});
