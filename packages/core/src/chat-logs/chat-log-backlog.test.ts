import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { type ChatLogWriter, type ChatTurn, createChatLogWriter } from "./chat-log-writer.ts";

/**
 * Chat-log rows the database does not take are kept in memory and written once it takes them
 * again, retried with backoff; past the bound they are dropped, reported and counted.
 */
let t: TestDatabase;
const clock = fakeClock(new Date("2026-06-01T00:00:00Z"));
const keyring = parseMasterKeyring(Buffer.alloc(32, 7).toString("base64"));
const writers: ChatLogWriter[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  // the database refuses chat_log inserts while refuse_chat_logs is on, as one that is failing over
  await t.db.$executeRawUnsafe(`
    CREATE TABLE refuse_chat_logs (is_on boolean NOT NULL);
    INSERT INTO refuse_chat_logs VALUES (false);
    CREATE FUNCTION refuse_chat_log_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF (SELECT is_on FROM refuse_chat_logs) THEN
        RAISE EXCEPTION 'the database is not taking writes' USING ERRCODE = '57P03';
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER refuse_chat_log_insert BEFORE INSERT ON chat_log
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_chat_log_insert();`);
});
afterAll(async () => {
  for (const writer of writers) await writer.close();
});

const refuseWrites = (isOn: boolean) => t.db.$executeRawUnsafe(`UPDATE refuse_chat_logs SET is_on = ${isOn}`);

function newWriter(backlog: { maxPending?: number; maxPendingBytes?: number }) {
  const errors: unknown[] = [];
  const dropped: number[] = [];
  const writer = createChatLogWriter(
    {
      db: t.db,
      clock,
      keyring,
      onError: (error) => errors.push(error),
      onDropped: (count) => dropped.push(count),
    },
    { flushIntervalMs: 60_000, backlog: { baseDelayMs: 1_000, maxDelayMs: 4_000, ...backlog } },
  );
  writers.push(writer);
  return { writer, errors, dropped };
}

let sequence = 0;
function turn(organizationId: string, text = `turn ${sequence + 1}`): ChatTurn {
  return {
    requestId: `req_backlog_${++sequence}`,
    organizationId,
    apiKeyId: null,
    modelId: "deepseek-chat",
    endUserId: null,
    messages: [{ role: "user", content: text }],
    response: { streamedText: "ok" },
    maskKinds: [],
    promptTokens: 3,
    completionTokens: 4,
    expiresAt: new Date(clock.now().getTime() + 86_400_000),
  };
}

async function newOrganizationId() {
  const org = await createOrganization(
    { db: t.db, clock },
    { name: "Backlog", tier: "free", actor: cliActor("test") },
  );
  return org.id;
}
const logsOf = (organizationId: string) => t.db.chatLog.count({ where: { organizationId } });

describe("chat logs while the database refuses writes", () => {
  it("are kept, retried with backoff, and written once it takes them again", async () => {
    const organizationId = await newOrganizationId();
    const { writer, errors, dropped } = newWriter({});
    await refuseWrites(true);
    for (let i = 0; i < 3; i++) writer.record(turn(organizationId));
    await writer.flush();
    expect(await logsOf(organizationId)).toBe(0);
    expect(writer.stats).toMatchObject({ pending: 3, failedWrites: 1, dropped: 0 });
    expect(String(errors[0])).toContain("not taking writes");

    // within the backoff nothing is tried; what comes meanwhile waits with the rest
    writer.record(turn(organizationId));
    await writer.flush();
    expect(writer.stats).toMatchObject({ pending: 4, failedWrites: 1 });

    // past it, tried again: refused again, so the next wait is twice as long
    clock.advance(1_000);
    await writer.flush();
    expect(writer.stats).toMatchObject({ pending: 4, failedWrites: 2 });
    clock.advance(1_000);
    await writer.flush();
    expect(writer.stats?.failedWrites).toBe(2);

    await refuseWrites(false);
    clock.advance(1_000);
    await writer.flush();
    expect(await logsOf(organizationId)).toBe(4);
    expect(writer.stats).toMatchObject({ pending: 0, dropped: 0 });
    expect(dropped).toEqual([]);
  });

  it("drops what passes the bound, and what is left at shutdown, with a report and a count", async () => {
    const organizationId = await newOrganizationId();
    const { writer, dropped } = newWriter({ maxPending: 2 });
    await refuseWrites(true);
    try {
      for (let i = 0; i < 3; i++) writer.record(turn(organizationId));
      await writer.flush();
      expect(writer.stats).toMatchObject({ pending: 2, dropped: 1 });
      expect(dropped).toEqual([1]);
      await writer.close();
      expect(writer.stats).toMatchObject({ pending: 0, dropped: 3 });
      expect(dropped).toEqual([1, 2]);
      expect(await logsOf(organizationId)).toBe(0);
    } finally {
      await refuseWrites(false);
    }
  });
});

describe("chat logs while the database refuses writes, in bytes", () => {
  it("drops the oldest rows once those kept pass the bound in bytes, however few they are", async () => {
    const organizationId = await newOrganizationId();
    // each row holds over 10,000 bytes of ciphertext (the prompt's), so 25,000 keep two
    const { writer, dropped } = newWriter({ maxPendingBytes: 25_000 });
    await refuseWrites(true);
    try {
      const requestIds: string[] = [];
      for (let i = 0; i < 3; i++) {
        const large = turn(organizationId, `${i} ${"x".repeat(10_000)}`);
        requestIds.push(large.requestId);
        writer.record(large);
      }
      await writer.flush();
      expect(writer.stats).toMatchObject({ pending: 2, dropped: 1 });
      expect(dropped).toEqual([1]);

      await refuseWrites(false);
      clock.advance(1_000);
      await writer.flush();
      // the first was dropped: the two after it were written
      const written = await t.db.chatLog.findMany({ where: { organizationId }, select: { requestId: true } });
      expect(written.map((row) => row.requestId).sort()).toEqual(requestIds.slice(1).sort());
      expect(writer.stats).toMatchObject({ pending: 0, dropped: 1 });
    } finally {
      await refuseWrites(false);
    }
  });
});

describe("a chat-log row the database refuses for its data", () => {
  it("is dropped alone and counted; the rest of its batch, other organizations' too, is written", async () => {
    const first = await newOrganizationId();
    const second = await newOrganizationId();
    const { writer, errors, dropped } = newWriter({});
    // an upstream's absurd token count: no integer column holds it
    writer.record({ ...turn(first), promptTokens: 10 ** 15 });
    for (const organizationId of [first, second, second]) writer.record(turn(organizationId));
    await writer.flush();
    expect(await logsOf(first)).toBe(1);
    expect(await logsOf(second)).toBe(2);
    expect(dropped).toEqual([1]);
    expect(errors).toHaveLength(1);
    expect(writer.stats).toMatchObject({ pending: 0, dropped: 1 });
  });
});
