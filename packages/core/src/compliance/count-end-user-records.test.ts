import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { newId } from "../ids/public-id.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { countEndUserRecords, END_USER_RECORD_COUNT_CAP } from "./count-end-user-records.ts";

let t: TestDatabase;
const clock = fakeClock();
let orgId: string;
let otherOrgId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  const deps = { db: t.db, clock };
  orgId = (await createOrganization(deps, { name: "Counted", tier: "free", actor: cliActor("test") })).id;
  otherOrgId = (await createOrganization(deps, { name: "Elsewhere", tier: "free", actor: cliActor("test") }))
    .id;
});

async function usage(organizationId: string, endUserId: string | null, n: number) {
  await t.db.usageEvent.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      requestId: `req_${endUserId}_${i}`,
      organizationId,
      endpoint: "/v1/chat/completions",
      status: 200,
      latencyMs: 5,
      endUserId,
    })),
  });
}

async function chatLogs(organizationId: string, endUserId: string, n: number) {
  const dataKey = await t.db.dataKey.create({
    data: {
      id: newId("dataKey"),
      organizationId,
      endUserId,
      wrappedKey: Buffer.alloc(60),
      masterKeyVersion: 1,
    },
  });
  await t.db.chatLog.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      requestId: `req_log_${endUserId}_${i}`,
      organizationId,
      modelId: "deepseek-chst-1.0",
      endUserId,
      dataKeyId: dataKey.id,
      requestCiphertext: Buffer.from([1]),
      responseCiphertext: Buffer.from([2]),
      expiresAt: new Date("2027-01-01T00:00:00Z"),
    })),
  });
}

async function file(organizationId: string, endUserId: string) {
  const id = newId("file");
  await t.db.file.create({
    data: {
      id,
      organizationId,
      endUserId,
      filename: "notes.txt",
      purpose: "assistants",
      bytes: 5n,
      contentType: "text/plain",
      sha256: "0".repeat(64),
      storageKey: `test/${id}`,
    },
  });
}

describe("countEndUserRecords", () => {
  it("counts the end user's usage events, logs and files in this organization only, exactly as sent", async () => {
    await usage(orgId, "alice", 3);
    await chatLogs(orgId, "alice", 2);
    await file(orgId, "alice");
    // the same id elsewhere, another end user, a different case: none of them count
    await usage(otherOrgId, "alice", 4);
    await file(otherOrgId, "alice");
    await usage(orgId, "bob", 2);
    await usage(orgId, "Alice", 1);

    expect(await countEndUserRecords(t.db, { organizationId: orgId, endUserId: "alice" })).toEqual({
      usageEvents: { count: 3, isCapped: false },
      chatLogs: { count: 2, isCapped: false },
      files: { count: 1, isCapped: false },
      matchesNothing: false,
    });
  });

  it("says when an id matches nothing at all", async () => {
    expect(await countEndUserRecords(t.db, { organizationId: orgId, endUserId: "nobody-ever" })).toEqual({
      usageEvents: { count: 0, isCapped: false },
      chatLogs: { count: 0, isCapped: false },
      files: { count: 0, isCapped: false },
      matchesNothing: true,
    });
  });

  it("stops counting at the cap", async () => {
    await usage(orgId, "prolific", END_USER_RECORD_COUNT_CAP + 5);
    const counts = await countEndUserRecords(t.db, { organizationId: orgId, endUserId: "prolific" });
    expect(counts.usageEvents).toEqual({ count: END_USER_RECORD_COUNT_CAP, isCapped: true });
    expect(counts.matchesNothing).toBe(false);
  });

  it("reports an unknown organization as not found", async () => {
    await expect(
      countEndUserRecords(t.db, { organizationId: "org_missing", endUserId: "alice" }),
    ).rejects.toMatchObject({ code: "not_found", param: "organizationId" });
  });

  it("reads each count from an index of organization and end user", async () => {
    // plans are made for the data at hand; with sequential scans allowed, a tiny table is scanned
    const plans = await t.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const explain = (table: string) =>
        tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
          `EXPLAIN SELECT 1 FROM ${table} WHERE organization_id = $1 AND end_user_id = $2 LIMIT 10000`,
          orgId,
          "alice",
        );
      const found = [];
      for (const table of ["usage_event", "chat_log", "file"]) found.push(await explain(table));
      return found;
    });
    for (const plan of plans) {
      const text = plan.map((line) => line["QUERY PLAN"]).join("\n");
      expect(text).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
      expect(text).not.toContain("Seq Scan");
    }
  });
});
