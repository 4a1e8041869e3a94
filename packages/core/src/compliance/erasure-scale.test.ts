import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { processDeletionRequests } from "./process-deletion-requests.ts";
import { requestDeletion } from "./request-deletion.ts";
import { chatLogEraser, usageIdentityEraser } from "./subject-eraser.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-08-01T00:00:00Z"));
const actor = cliActor("test");
const LARGE = 300_000;

beforeAll(async () => {
  t = await createTestDatabase();
});

/** `count` sealed-looking logs under one data key of the organization, in one statement. */
async function seedLogs(organizationId: string, endUserId: string | null, count: number) {
  const keyId = `dk_${organizationId}_${endUserId ?? "org"}`;
  await t.db.$executeRaw`
    INSERT INTO data_key (id, organization_id, end_user_id, wrapped_key, master_key_version)
    VALUES (${keyId}, ${organizationId}, ${endUserId ?? ""}, '\\x00'::bytea, 1)`;
  await t.db.$executeRaw`
    INSERT INTO chat_log (id, request_id, organization_id, model_id, end_user_id, data_key_id,
                          request_ciphertext, response_ciphertext, expires_at)
    SELECT gen_random_uuid(), 'req_' || g, ${organizationId}, 'deepseek-chat', ${endUserId},
           ${keyId}, '\\x00'::bytea, '\\x00'::bytea, now() + interval '30 days'
      FROM generate_series(1, ${count}::int) g`;
}

describe("an erasure of 300,000 chat logs", () => {
  it("runs in bounded turns and never keeps a small erasure of another organization waiting", async () => {
    const large = await createOrganization({ db: t.db, clock }, { name: "Large", tier: "free", actor });
    const small = await createOrganization({ db: t.db, clock }, { name: "Small", tier: "free", actor });
    await seedLogs(large.id, null, LARGE);
    await seedLogs(small.id, "small-user", 3);
    // the large one is older, so it is claimed first
    const { request: big } = await requestDeletion(
      { db: t.db, clock },
      { organizationId: large.id, subjectType: "ORGANIZATION", subjectId: large.id, actor },
    );
    clock.advance(1_000);
    const { request: little } = await requestDeletion(
      { db: t.db, clock },
      { organizationId: small.id, subjectType: "END_USER", subjectId: "small-user", actor },
    );
    const erasers = [chatLogEraser(t.db), usageIdentityEraser(t.db)];

    const first = await processDeletionRequests({ db: t.db, clock, erasers });
    expect(first).toMatchObject({ completed: 1, failed: 0, resumable: 1 });
    expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: little.id } })).toMatchObject({
      status: "COMPLETED",
    });
    const halfway = await t.db.deletionRequest.findUniqueOrThrow({ where: { id: big.id } });
    expect(halfway.status).toBe("PENDING");
    const erasedSoFar = (halfway.progress as { steps: Record<string, { erased: number }> }).steps.chat_logs
      ?.erased;
    expect(erasedSoFar).toBeGreaterThan(0);
    expect(erasedSoFar).toBeLessThan(LARGE);
    // the keys went first: what is left can no longer be opened
    expect(await t.db.dataKey.count({ where: { organizationId: large.id, destroyedAt: null } })).toBe(0);
    expect(await t.db.chatLog.count({ where: { organizationId: large.id } })).toBe(
      LARGE - (erasedSoFar ?? 0),
    );

    clock.advance(60_000);
    expect(await processDeletionRequests({ db: t.db, clock, erasers })).toMatchObject({
      completed: 1,
      failed: 0,
    });
    expect(await t.db.chatLog.count({ where: { organizationId: large.id } })).toBe(0);
    expect(await t.db.dataKey.count({ where: { organizationId: large.id } })).toBe(0);
    const done = await t.db.deletionRequest.findUniqueOrThrow({ where: { id: big.id } });
    expect(done.status).toBe("COMPLETED");
    expect(done.report).toMatchObject({ erased: { chat_logs: LARGE, usage_identities: 0 } });
    expect(createHash("sha256").update(JSON.stringify(done.report)).digest("hex")).toBe(done.reportSha256);
  }, 300_000);
});
