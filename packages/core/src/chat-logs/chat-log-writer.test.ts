import { randomBytes } from "node:crypto";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { eventually } from "../../../../test/support/eventually.ts";
import { cliActor } from "../audit/actor.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createTextWorkPool, type TextWork, TextWorkClosedError } from "../text-work/text-work.ts";
import { type ChatLogWriter, type ChatTurn, createChatLogWriter } from "./chat-log-writer.ts";
import { readChatLogs } from "./read-chat-logs.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-06-01T00:00:00Z"));
const keyring = parseMasterKeyring(Buffer.alloc(32, 9).toString("base64"));
const actor = cliActor("test");
const errors: unknown[] = [];
let writers: ChatLogWriter[] = [];
const textWork = createTextWorkPool({ maxThreads: 1 });

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => textWork.close());
afterEach(async () => {
  for (const writer of writers) await writer.close();
  writers = [];
  errors.length = 0;
});

function newWriter(
  options: {
    maxBatch?: number;
    maxInsertBytes?: number;
    textWork?: TextWork;
    observeBatch?: (seconds: number) => void;
  } = {},
) {
  const { textWork, observeBatch, ...writerOptions } = options;
  const writer = createChatLogWriter(
    { db: t.db, clock, keyring, textWork, observeBatch, onError: (error) => errors.push(error) },
    { flushIntervalMs: 60_000, ...writerOptions },
  );
  writers.push(writer);
  return writer;
}

async function newOrganization() {
  return createOrganization({ db: t.db, clock }, { name: "Logs", tier: "free", actor });
}

let sequence = 0;
function turn(organizationId: string, text: string, overrides: Partial<ChatTurn> = {}): ChatTurn {
  return {
    requestId: `req_writer_${++sequence}`,
    organizationId,
    apiKeyId: null,
    modelId: "deepseek-chat",
    endUserId: null,
    messages: [{ role: "user", content: text }],
    response: { streamedText: `you said ${text}` },
    maskKinds: [],
    promptTokens: 3,
    completionTokens: 4,
    expiresAt: new Date(clock.now().getTime() + 86_400_000),
    ...overrides,
  };
}

const logsOf = (organizationId: string, endUserId?: string) =>
  readChatLogs(
    { db: t.db, clock, keyring },
    { organizationId, ...(endUserId !== undefined && { endUserId }), actor, purpose: "test" },
  );

// a full collection on demand, to see what the writer still holds
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** lets the writer's sealing run (it seals a few turns per turn of the event loop) */
const sealingDone = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("chat-log writer", () => {
  it("masks, seals and writes every turn recorded, each subject under its own data key", async () => {
    const org = await newOrganization();
    const writer = newWriter();
    for (let i = 0; i < 45; i++) writer.record(turn(org.id, `turn ${i}`));
    writer.record(
      turn(org.id, "mail me at jane@example.com", {
        endUserId: "user-1",
        maskKinds: ["email"],
        response: {
          choices: [
            {
              index: 0,
              finish_reason: "stop",
              logprobs: null,
              message: { role: "assistant", content: "ok jane@example.com", refusal: null },
            },
          ],
        },
      }),
    );
    await writer.flush();

    const all = await logsOf(org.id);
    expect(all).toHaveLength(46);
    // all stored at one frozen instant: the id orders them, the same way at every read
    expect(all.map((log) => log.id)).toEqual(all.map((log) => log.id).sort());
    const [masked] = await logsOf(org.id, "user-1");
    expect(JSON.stringify(masked?.messages)).toContain("mail me at [EMAIL]");
    expect(JSON.stringify(masked?.response)).toContain("ok [EMAIL]");
    const rows = await t.db.chatLog.findMany({ where: { organizationId: org.id } });
    expect(
      rows.every((row) => !Buffer.from(row.requestCiphertext).toString("latin1").includes("turn 1")),
    ).toBe(true);
    const keys = await t.db.dataKey.findMany({ where: { organizationId: org.id } });
    expect(keys.map((key) => key.endUserId).sort()).toEqual(["", "user-1"]);
    expect(errors).toEqual([]);
  });

  it("writes a turn sealed under a key that an erasure deleted meanwhile, under a new key", async () => {
    const org = await newOrganization();
    const writer = newWriter();
    writer.record(turn(org.id, "before the erasure", { endUserId: "user-2" }));
    await writer.flush();
    const [first] = await t.db.dataKey.findMany({ where: { organizationId: org.id, endUserId: "user-2" } });

    // the writer now holds user-2's key; the next turn is sealed under it before the erasure runs
    writer.record(turn(org.id, "during the erasure", { endUserId: "user-2" }));
    await sealingDone();
    await t.db.dataKey.deleteMany({ where: { organizationId: org.id, endUserId: "user-2" } });
    await writer.flush();

    const logs = await logsOf(org.id, "user-2");
    expect(logs.map((log) => JSON.stringify(log.messages))).toEqual([
      expect.stringContaining("during the erasure"),
    ]);
    const [second] = await t.db.dataKey.findMany({ where: { organizationId: org.id, endUserId: "user-2" } });
    expect(second?.id).toBeDefined();
    expect(second?.id).not.toBe(first?.id);
    expect(errors).toEqual([]);
  });

  it("holds a turn's text until it is sealed, not until its row is written", async () => {
    const org = await newOrganization();
    const writer = newWriter();
    // the key is loaded first, as on a busy gateway: the turn below is sealed as it comes
    writer.record(turn(org.id, "first"));
    await writer.flush();
    // the test keeps only weak references: whatever keeps the text alive is the writer's
    const { messages, response } = (() => {
      const recorded = turn(org.id, "held until sealed");
      writer.record(recorded);
      return { messages: new WeakRef(recorded.messages), response: new WeakRef(recorded.response) };
    })();
    // sealed a turn of the event loop after it was recorded (later on a busy machine), then let go
    let isLetGo = false;
    for (let attempt = 0; attempt < 50 && !isLetGo; attempt++) {
      await sealingDone();
      collectGarbage();
      isLetGo = messages.deref() === undefined && response.deref() === undefined;
    }
    expect(isLetGo).toBe(true);
    expect(writer.queued).toBe(1); // its row waits for its batch
    await writer.flush();
    // both were written at the fake clock's one instant: in no particular order
    const texts = (await logsOf(org.id)).map((log) => JSON.stringify(log.messages)).sort();
    expect(texts).toEqual([expect.stringContaining("first"), expect.stringContaining("held until sealed")]);
    expect(errors).toEqual([]);
  });

  it("writes on close what was recorded just before, and batches of any size", async () => {
    const org = await newOrganization();
    const writer = newWriter({ maxBatch: 30 });
    // 250 turns, most recorded before their subject's key is loaded: over two inserts' worth
    for (let i = 0; i < 250; i++) writer.record(turn(org.id, `burst ${i}`, { endUserId: `user-${i % 7}` }));
    await writer.close();
    writers = writers.filter((w) => w !== writer);
    expect(await t.db.chatLog.count({ where: { organizationId: org.id } })).toBe(250);
    expect(errors).toEqual([]);
  });

  it("seals a burst slice by slice, with the turns recorded between slices, each once", async () => {
    const org = await newOrganization();
    const writer = newWriter({ maxBatch: 1_000 });
    const recorded: string[] = [];
    const record = (text: string) => {
      const next = turn(org.id, text);
      recorded.push(next.requestId);
      writer.record(next);
    };
    for (let i = 0; i < 90; i++) record(`first ${i}`);
    // a slice has gone to sealing and the rest of the burst waits: more arrive behind it
    await new Promise(setImmediate);
    for (let i = 0; i < 45; i++) record(`second ${i}`);
    await eventually(() => writer.queued === 135, "every turn of the burst sealed");
    await writer.flush();
    const written = (await logsOf(org.id)).map((log) => log.requestId).sort();
    expect(written).toEqual([...recorded].sort());
    expect(errors).toEqual([]);
  });

  it("bounds a write by its ciphertext's bytes as well as its rows, and flushes once that much is sealed", async () => {
    const org = await newOrganization();
    const writes: number[] = [];
    const writer = newWriter({ maxInsertBytes: 64 * 1024, observeBatch: (seconds) => writes.push(seconds) });
    // about 40 KB of ciphertext a turn (the text in the request and again in the response),
    // random so that nothing could shrink it: a write holds one such row
    const large = () => randomBytes(15_000).toString("base64");
    for (let i = 0; i < 4; i++) writer.record(turn(org.id, large()));
    // no flush asked for, the interval a minute away and far fewer turns than maxBatch: the
    // bytes sealed start the writes
    await eventually(
      async () => (await t.db.chatLog.count({ where: { organizationId: org.id } })) === 4,
      "the four rows written",
    );
    expect(writes).toHaveLength(4);

    for (let i = 0; i < 6; i++) writer.record(turn(org.id, `small ${i}`));
    writer.record(turn(org.id, large()));
    await writer.flush();
    // under the bound, small rows and a large one share a write
    expect(writes).toHaveLength(5);
    expect(await logsOf(org.id)).toHaveLength(11);
    expect(errors).toEqual([]);
  });

  it("reports a batch it cannot write and goes on with the next", async () => {
    const org = await newOrganization();
    const writer = newWriter();
    // a count beyond PostgreSQL's integer makes the whole insert fail, and its retry
    writer.record(turn(org.id, "too many tokens", { promptTokens: 2 ** 40 }));
    await writer.flush();
    expect(errors).toHaveLength(1);
    writer.record(turn(org.id, "fine"));
    await writer.flush();
    expect(await logsOf(org.id)).toHaveLength(1);
  });

  it("masks and seals a large turn in the text-work pool, among small ones sealed at once", async () => {
    const org = await newOrganization();
    const writer = newWriter({ textWork });
    const large = `${"a.a.a.".repeat(20_000)} write to jane@example.com`;
    const before = { ...textWork.stats };
    writer.record(turn(org.id, "small before"));
    writer.record(turn(org.id, large, { maskKinds: ["email"], response: { streamedText: large } }));
    writer.record(turn(org.id, "small after"));
    await writer.flush();

    expect(textWork.stats.pooled).toBe(before.pooled + 1);
    expect(textWork.stats.inline).toBe(before.inline + 2);
    const logs = await logsOf(org.id);
    expect(logs).toHaveLength(3);
    const sealedInPool = logs.find((log) => JSON.stringify(log.messages).includes("a.a.a."));
    expect(JSON.stringify(sealedInPool?.messages)).toContain("write to [EMAIL]");
    expect(JSON.stringify(sealedInPool?.response)).toContain("write to [EMAIL]");
    expect(JSON.stringify(sealedInPool)).not.toContain("jane@example.com");
    expect(errors).toEqual([]);
  });

  it("reports turns it cannot seal because its text-work pool is closed", async () => {
    const org = await newOrganization();
    const closed = createTextWorkPool({ maxThreads: 1 });
    await closed.close();
    const writer = newWriter({ textWork: closed });
    writer.record(turn(org.id, "never sealed"));
    await writer.flush();
    expect(errors).toEqual([expect.any(TextWorkClosedError)]);
    expect(await logsOf(org.id)).toHaveLength(0);
  });
});
