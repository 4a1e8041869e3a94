import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { type ChatLogWriter, type ChatTurn, createChatLogWriter } from "./chat-log-writer.ts";
import {
  cachePurgeBroadcastAt,
  recordCachePurgeBroadcast,
  recordErasureStarted,
  type TombstoneSubject,
} from "./erasure-tombstones.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-06-01T00:00:00Z"));
const keyring = parseMasterKeyring(Buffer.alloc(32, 9).toString("base64"));
const actor = cliActor("test");
let errors: unknown[] = [];
let dropped = 0;
let writer: ChatLogWriter;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  await writer?.close();
  errors = [];
  dropped = 0;
});

function newWriter() {
  writer = createChatLogWriter(
    {
      db: t.db,
      clock,
      keyring,
      onError: (error) => errors.push(error),
      onDroppedForErasure: (count) => {
        dropped += count;
      },
    },
    { flushIntervalMs: 60_000 },
  );
  return writer;
}

let sequence = 0;
function turn(organizationId: string, endUserId: string | null): ChatTurn {
  return {
    requestId: `req_tombstone_${++sequence}`,
    organizationId,
    apiKeyId: null,
    modelId: "deepseek-chat",
    endUserId,
    messages: [{ role: "user", content: `turn ${sequence}` }],
    response: { streamedText: `answer ${sequence}` },
    maskKinds: [],
    promptTokens: 3,
    completionTokens: 4,
    expiresAt: new Date(clock.now().getTime() + 86_400_000),
  };
}

/**
 * Waits until the writer has loaded (made) the keys of these organizations' turns and sealed
 * them: it does so on later turns of the event loop, after a read of the database.
 */
async function sealingDone(organizationIds: string[], keys: number) {
  const deadline = Date.now() + 10_000;
  while ((await t.db.dataKey.count({ where: { organizationId: { in: organizationIds } } })) < keys) {
    if (Date.now() > deadline) throw new Error(`the writer made no ${keys} data keys in 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  for (let i = 0; i < 5; i++) await new Promise(setImmediate);
}

/** What an erasure does first: the tombstone, then the subject's keys (and with them its logs). */
async function startErasure(subject: TombstoneSubject) {
  await recordErasureStarted(t.db, subject, clock.now());
  const organizationId = subject.organizationId as string;
  await t.db.dataKey.deleteMany({
    where: subject.type === "END_USER" ? { organizationId, endUserId: subject.id } : { organizationId },
  });
}

const newOrganization = async () =>
  (await createOrganization({ db: t.db, clock }, { name: "Tombstones", tier: "free", actor })).id;

describe("the chat-log writer and erasure tombstones", () => {
  it("drops a batched turn of an end user erased after it was recorded, and keeps the others", async () => {
    const organizationId = await newOrganization();
    const logs = newWriter();
    logs.record(turn(organizationId, "erased-user"));
    logs.record(turn(organizationId, "other-user"));
    await sealingDone([organizationId], 2); // sealed under the end users' keys, waiting for the batch

    clock.advance(10);
    await startErasure({ type: "END_USER", organizationId, id: "erased-user" });
    clock.advance(10);
    await logs.flush();

    expect(errors).toEqual([]);
    expect(dropped).toBe(1);
    expect(await t.db.chatLog.count({ where: { organizationId, endUserId: "erased-user" } })).toBe(0);
    // and no fresh key was made to seal it again
    expect(await t.db.dataKey.count({ where: { organizationId, endUserId: "erased-user" } })).toBe(0);
    expect(await t.db.chatLog.count({ where: { organizationId, endUserId: "other-user" } })).toBe(1);
  });

  it("makes no key for a turn whose subject's erasure started before its key was loaded", async () => {
    const organizationId = await newOrganization();
    const logs = newWriter();
    // the erasure starts just after the turn is recorded, before the writer gets to the turn
    await recordErasureStarted(t.db, { type: "END_USER", organizationId, id: "erased" }, clock.now());
    logs.record(turn(organizationId, "erased"));
    logs.record(turn(organizationId, "kept"));
    await logs.flush();

    expect(errors).toEqual([]);
    expect(dropped).toBe(1);
    expect(await t.db.dataKey.count({ where: { organizationId, endUserId: "erased" } })).toBe(0);
    expect(await t.db.chatLog.count({ where: { organizationId, endUserId: "kept" } })).toBe(1);
  });

  it("deletes a key made for a dropped turn while the erasure ran, when no log uses it", async () => {
    const organizationId = await newOrganization();
    const logs = newWriter();
    logs.record(turn(organizationId, "erased-meanwhile"));
    await sealingDone([organizationId], 1);
    // the erasure started and deleted the subject's keys just before the writer made this one
    clock.advance(10);
    await recordErasureStarted(
      t.db,
      { type: "END_USER", organizationId, id: "erased-meanwhile" },
      clock.now(),
    );
    await logs.flush();

    expect(dropped).toBe(1);
    expect(await t.db.dataKey.count({ where: { organizationId, endUserId: "erased-meanwhile" } })).toBe(0);
  });

  it("keeps turns recorded after the erasure started (the organization's new traffic)", async () => {
    const organizationId = await newOrganization();
    await recordErasureStarted(t.db, { type: "END_USER", organizationId, id: "returning" }, clock.now());
    clock.advance(10);
    const logs = newWriter();
    logs.record(turn(organizationId, "returning"));
    await logs.flush();
    expect(dropped).toBe(0);
    expect(await t.db.chatLog.count({ where: { organizationId, endUserId: "returning" } })).toBe(1);
  });

  it("drops every held turn of an erased organization, with or without an end user", async () => {
    const organizationId = await newOrganization();
    const kept = await newOrganization();
    const logs = newWriter();
    logs.record(turn(organizationId, null));
    logs.record(turn(organizationId, "someone"));
    logs.record(turn(kept, "someone"));
    await sealingDone([organizationId, kept], 3);

    clock.advance(10);
    await startErasure({ type: "ORGANIZATION", organizationId, id: organizationId });
    await logs.flush();

    expect(dropped).toBe(2);
    expect(await t.db.chatLog.count({ where: { organizationId } })).toBe(0);
    expect(await t.db.dataKey.count({ where: { organizationId } })).toBe(0);
    expect(await t.db.chatLog.count({ where: { organizationId: kept } })).toBe(1);
  });

  it("keeps no id of the subject, and the time of its last cache purge broadcast", async () => {
    const organizationId = await newOrganization();
    const subject: TombstoneSubject = { type: "END_USER", organizationId, id: "private-id-42" };
    await recordErasureStarted(t.db, subject, clock.now());
    expect(await cachePurgeBroadcastAt(t.db, subject)).toBeNull();
    const at = new Date(clock.now().getTime() + 5_000);
    await recordCachePurgeBroadcast(t.db, subject, at);
    expect(await cachePurgeBroadcastAt(t.db, subject)).toEqual(at);
    const rows = await t.db.$queryRaw<
      { row: string }[]
    >`SELECT erased_subject::text AS row FROM erased_subject`;
    expect(rows.some(({ row }) => row.includes("private-id-42") || row.includes(organizationId))).toBe(false);
  });
});
