import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { getOrCreateDataKey } from "../crypto/data-keys.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { isRefusedRecord } from "../errors/refused-record.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { type ChatLogRow, copyChatLogs, insertChatLogs } from "./insert-chat-logs.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-06-01T00:00:00Z"));
const keyring = parseMasterKeyring(Buffer.alloc(32, 7).toString("base64"));

beforeAll(async () => {
  t = await createTestDatabase();
});

async function newSubject(endUserId: string | null = null) {
  const org = await createOrganization(
    { db: t.db, clock },
    { name: "Copy", tier: "free", actor: cliActor("t") },
  );
  const key = await getOrCreateDataKey({ db: t.db, clock, keyring }, { organizationId: org.id, endUserId });
  return { organizationId: org.id, dataKeyId: key.id };
}

let sequence = 0;
function row(subject: { organizationId: string; dataKeyId: string }, overrides: Partial<ChatLogRow> = {}) {
  return {
    requestId: `req_copy_${++sequence}`,
    ...subject,
    apiKeyId: null,
    modelId: "deepseek-chat",
    endUserId: null,
    requestCiphertext: randomBytes(40),
    responseCiphertext: randomBytes(30),
    promptTokens: 3,
    completionTokens: 4,
    createdAt: new Date("2026-06-01T12:34:56.789Z"),
    expiresAt: new Date("2026-07-01T12:34:56.001Z"),
    ...overrides,
  } satisfies ChatLogRow;
}

const storedRows = (organizationId: string) =>
  t.db.chatLog.findMany({ where: { organizationId }, orderBy: { requestId: "asc" } });

/** what a row should read back as: everything it was given, its bytes as Prisma reads them */
const asStored = (given: ChatLogRow) => ({
  ...given,
  requestCiphertext: new Uint8Array(given.requestCiphertext),
  responseCiphertext: new Uint8Array(given.responseCiphertext),
});

describe("copyChatLogs and insertChatLogs", () => {
  it("copies every field as given, whatever the texts and bytes hold, each row under a new time-ordered id", async () => {
    const subject = await newSubject();
    // texts the database takes: well-formed, without NUL (which no text column holds)
    const text = fc.string({ unit: "grapheme", maxLength: 40 }).filter((value) => !value.includes("\0"));
    const givenRow = fc.record({
      apiKeyId: fc.option(text, { nil: null }),
      endUserId: fc.option(text, { nil: null }),
      modelId: text,
      requestCiphertext: fc.uint8Array({ maxLength: 600 }),
      responseCiphertext: fc.uint8Array({ maxLength: 600 }),
      promptTokens: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
      completionTokens: fc.nat({ max: 2 ** 31 - 1 }),
      createdAt: fc.date({ min: new Date("1970-01-01"), max: new Date("2200-01-01"), noInvalidDate: true }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(givenRow, { minLength: 1, maxLength: 30 }), async (fields) => {
        const rows = fields.map((given) =>
          row(subject, {
            ...given,
            // the tab, newline, backslash and comma a text-format COPY or an array literal escapes
            requestId: `req_copy_${++sequence}\t\n\\,"'`,
            requestCiphertext: Buffer.from(given.requestCiphertext),
            responseCiphertext: Buffer.from(given.responseCiphertext),
          }),
        );
        const before = await t.db.chatLog.count({ where: { organizationId: subject.organizationId } });
        // the binary COPY itself, which fails rather than falls back to the statement
        await copyChatLogs(t.db, rows);
        const stored = await t.db.chatLog.findMany({
          where: { requestId: { in: rows.map((given) => given.requestId) } },
        });
        expect(stored).toHaveLength(rows.length);
        expect(await t.db.chatLog.count({ where: { organizationId: subject.organizationId } })).toBe(
          before + rows.length,
        );
        for (const given of rows) {
          const found = stored.find((candidate) => candidate.requestId === given.requestId);
          expect(found).toMatchObject(asStored(given));
        }
        for (const { id, createdAt } of stored) {
          // a version 7 UUID: its first 48 bits are the row's creation time in milliseconds
          expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          expect(Number.parseInt(id.replace("-", "").slice(0, 12), 16)).toBe(createdAt.getTime());
        }
        expect(new Set(stored.map(({ id }) => id)).size).toBe(stored.length);
      }),
      { numRuns: 25 },
    );
  });

  it("writes a batch through the COPY, naming every row's data key as found", async () => {
    const subject = await newSubject();
    const rows = [row(subject), row(subject, { endUserId: "user-1", apiKeyId: "key_1" })];
    const { presentDataKeyIds } = await insertChatLogs(t.db, rows);
    expect([...presentDataKeyIds]).toEqual([subject.dataKeyId]);
    expect(await storedRows(subject.organizationId)).toMatchObject(rows.map(asStored));
  });

  it("leaves out the rows whose data key is gone, writes the others, and names the keys it found", async () => {
    const kept = await newSubject("kept-user");
    const erased = await newSubject("erased-user");
    await t.db.dataKey.delete({ where: { id: erased.dataKeyId } });
    const rows = [row(kept), row(erased), row(kept)];

    const { presentDataKeyIds } = await insertChatLogs(t.db, rows);

    expect([...presentDataKeyIds]).toEqual([kept.dataKeyId]);
    expect((await storedRows(kept.organizationId)).map((stored) => stored.requestId)).toEqual(
      [rows[0]?.requestId, rows[2]?.requestId].sort(),
    );
    expect(await storedRows(erased.organizationId)).toEqual([]);
  });

  it("refuses a batch with a count beyond the column's range as the database does, writing none of it", async () => {
    const subject = await newSubject();
    const refusal = await insertChatLogs(t.db, [row(subject), row(subject, { promptTokens: 2 ** 40 })]).catch(
      (error: unknown) => error,
    );
    expect(isRefusedRecord(refusal)).toBe(true);
    expect((refusal as { code?: string }).code).toBe("22003");
    expect(await storedRows(subject.organizationId)).toEqual([]);
  });

  it("refuses a batch whose organization is gone, writing none of it", async () => {
    const subject = await newSubject();
    const gone = { ...subject, organizationId: "org_does_not_exist" };
    const refusal = await insertChatLogs(t.db, [row(subject), row(gone)]).catch((error: unknown) => error);
    expect((refusal as { code?: string }).code).toBe("23503");
    expect(await storedRows(subject.organizationId)).toEqual([]);
  });
});
