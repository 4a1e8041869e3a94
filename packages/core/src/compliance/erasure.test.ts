import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { ChatMessage } from "@dsc/api-client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { chooseDumpMethod, dumpDatabase } from "../../../../test/support/database-dump.ts";
import { type DatabaseSearch, openDatabaseSearch } from "../../../../test/support/database-search.ts";
import { type Actor, cliActor } from "../audit/actor.ts";
import { createChatLogWriter } from "../chat-logs/chat-log-writer.ts";
import { readChatLogs } from "../chat-logs/read-chat-logs.ts";
import { createApiKey } from "../credentials/api-keys.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { createDiskFileStorage } from "../files/disk-file-storage.ts";
import type { FileStorage } from "../files/file-storage.ts";
import { createMemoryRateLimiter } from "../limits/memory-rate-limiter.ts";
import { maskMessages } from "../masking/mask-chat-texts.ts";
import { ALL_PII_KINDS } from "../masking/pii-masking.ts";
import { acceptInvitation } from "../memberships/accept-invitation.ts";
import { inviteMember } from "../memberships/invite-member.ts";
import { INVITATION_GONE_MESSAGE } from "../memberships/preview-invitation.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createAccountThrottle } from "../signup/account-throttle.ts";
import { createUser } from "../users/create-user.ts";
import { deactivateUser } from "../users/deactivate-user.ts";
import { lockOrganizationMembers } from "../users/organization-owners.ts";
import { reactivateUser } from "../users/reactivate-user.ts";
import { setUserRole } from "../users/set-user-role.ts";
import { retryDelayMs } from "./deletion-attempts.ts";
import { exportSubjectData } from "./export-subject-data.ts";
import { findDeletionRequestsAtRisk, processDeletionRequests } from "./process-deletion-requests.ts";
import { getDeletionRequest, requestDeletion } from "./request-deletion.ts";
import { accountEraser, allSubjectErasers, chatLogEraser, usageIdentityEraser } from "./subject-eraser.ts";

let t: TestDatabase;
let filesDir: string;
let storage: FileStorage;
const clock = fakeClock(new Date("2026-06-01T00:00:00Z"));
const keyring = parseMasterKeyring(Buffer.alloc(32, 7).toString("base64"));
const actor = cliActor("test");
const HOUR = 3_600_000;
// a real pg_dump when one can dump this server, else every row rendered by SQL (the title says which)
const dumpMethod = await chooseDumpMethod(inject("databaseAdminUrl"));

beforeAll(async () => {
  t = await createTestDatabase();
  filesDir = await mkdtemp(path.join(os.tmpdir(), "dsc-erasure-"));
  storage = createDiskFileStorage({ directory: filesDir });
});
afterAll(async () => {
  await rm(filesDir, { recursive: true, force: true });
});

const unique = (label: string) => `${label}-${randomBytes(5).toString("hex")}`;

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
      maskKinds: [],
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
  it(`leave no plaintext in ${dumpMethod.description}, masked or not`, async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Dumped", tier: "free", actor });
    const endUserId = unique("dumped-user");
    const email = `${unique("zed")}@example.com`;
    const personal = [email, "+44 20 7946 0958", "4111 1111 1111 1111", "GB82 WEST 1234 5698 7654 32"];
    const notPersonal = unique("the quarterly plan of project zanzibar");
    const reply = unique("zanzibar ships in spring");
    const sent: ChatMessage[] = [
      { role: "user", content: `Write to ${personal[0]}, call ${personal[1]}, card ${personal[2]}.` },
      { role: "user", content: `Pay to ${personal[3]}. About ${notPersonal}.` },
    ];
    const masked = maskMessages(sent, ALL_PII_KINDS); // what the chat-log writer keeps of it
    expect(JSON.stringify(masked)).not.toContain(email);
    const writer = createChatLogWriter({ db: t.db, clock, keyring }, { flushIntervalMs: 60_000 });
    writer.record({
      requestId: unique("req"),
      organizationId: org.id,
      apiKeyId: null,
      modelId: "deepseek-chst-1.0",
      endUserId,
      messages: sent,
      response: { streamedText: reply },
      promptTokens: 9,
      completionTokens: 4,
      maskKinds: ALL_PII_KINDS,
      expiresAt: new Date(clock.now().getTime() + 30 * 24 * HOUR),
    });
    await writer.close();

    const dump = await dumpDatabase(t.url, dumpMethod);
    if (dumpMethod.kind === "pg_dump") expect(dump).toContain("PostgreSQL database dump");
    // the metadata kept in clear is there, so a plaintext would be found too
    expect(dump).toContain(org.id);
    expect(dump).toContain(endUserId);
    for (const plaintext of [...personal, notPersonal, reply, "[EMAIL]"]) {
      expect(dump).not.toContain(plaintext);
    }
    const [log] = await readChatLogs(
      { db: t.db, clock, keyring },
      { organizationId: org.id, endUserId, actor, purpose: "test" },
    );
    expect(log?.messages).toEqual(masked);
    expect(log?.response).toEqual({ streamedText: reply });
  });

  it("decrypt for an audited reader", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Logs", tier: "free", actor });
    await seedTurns(org.id, ["alice", null]);

    const logs = await readChatLogs(
      { db: t.db, clock, keyring },
      { organizationId: org.id, actor, purpose: "test" },
    );
    // both turns carry the clock's one instant, so their order is not defined
    expect(logs.map((l) => (l.messages as { content: string }[])[0]?.content).sort()).toEqual([
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

    const erasers = [chatLogEraser(t.db), usageIdentityEraser(t.db), accountEraser(t.db, clock)];
    clock.advance(HOUR);
    expect(await processDeletionRequests({ db: t.db, clock, erasers })).toEqual({
      completed: 1,
      failed: 0,
      needsAttention: 0,
      onHold: 0,
      resumable: 0,
      waiting: 0,
    });

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
    await seedTurns(org.id, ["carol", "dave", "carol", "carol", "carol", "carol"]);
    const exported = await exportSubjectData(
      { db: t.db, clock, keyring },
      { organizationId: org.id, endUserId: "carol", actor },
      { pageSize: 2 },
    );
    // recorded before a single log is read
    expect(await t.db.auditEvent.count({ where: { action: "subject.export", targetId: "carol" } })).toBe(1);
    expect(exported.chatLogCount).toBe(5);
    const pages = [];
    for await (const page of exported.chatLogPages) pages.push(page);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    const logs = pages.flat();
    // stored at one frozen instant: every log once, in id order, across the pages
    expect(logs.map((log) => log.id)).toEqual(logs.map((log) => log.id).sort());
    expect(new Set(logs.map((log) => log.id)).size).toBe(5);
    expect(logs.every((log) => JSON.stringify(log.messages).includes("from carol"))).toBe(true);
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

describe("erasure of a dashboard account", () => {
  let search: DatabaseSearch;
  beforeAll(async () => {
    // every table but migration bookkeeping; the append-only audit trail is checked apart
    search = await openDatabaseSearch(t.url, { skip: ["public._prisma_migrations", "public.audit_event"] });
  });
  afterAll(async () => {
    await search?.close();
  });

  const erasers = () => allSubjectErasers({ db: t.db, clock, storage, cache: null, cacheTtlMs: 0 });
  const person = (role: "ADMIN" | "COMPLIANCE" | "DEVELOPER", organizationId: string | null = null) =>
    createUser(
      { db: t.db, clock },
      {
        email: `${unique(role.toLowerCase())}@example.com`,
        name: unique("Person"),
        role,
        organizationId,
        actor,
      },
    );
  const requestAccountErasure = (subjectId: string, organizationId: string | null = null) =>
    requestDeletion({ db: t.db, clock }, { organizationId, subjectType: "ACCOUNT", subjectId, actor });

  it("erases a person of no organization: row, sign-ins, sessions, their name on keys", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Keys", tier: "free", actor });
    const carla = await person("COMPLIANCE");
    const sessionToken = unique("session");
    const providerAccountId = unique("oidc-sub");
    await t.db.account.create({
      data: { userId: carla.id, type: "oidc", provider: "oidc", providerAccountId },
    });
    await t.db.session.create({
      data: { sessionToken, userId: carla.id, expires: new Date(clock.now().getTime() + HOUR) },
    });
    await t.db.verificationToken.create({
      data: {
        identifier: carla.email,
        token: unique("token"),
        expires: new Date(clock.now().getTime() + HOUR),
      },
    });
    const asCarla: Actor = { type: "USER", id: carla.id, origin: "203.0.113.9" };
    const { key } = await createApiKey(
      { db: t.db, clock, pepper: "erasure-test-pepper-0123456789abcdef" },
      { organizationId: org.id, name: "made by carla", actor: asCarla },
    );
    expect((await search.find(carla.email)).length).toBeGreaterThan(0); // the search sees her

    const { request, created } = await requestAccountErasure(carla.id);
    expect(created).toBe(true);
    expect(request.organizationId).toBeNull();
    expect(await requestAccountErasure(carla.id)).toEqual({ request, created: false });
    clock.advance(HOUR);
    await processDeletionRequests({ db: t.db, clock, erasers: erasers() });

    const done = await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(done.status).toBe("COMPLETED");
    expect(done.report).toMatchObject({
      subject: { type: "ACCOUNT", id: carla.id, organizationId: null },
      erased: { accounts: 1, chat_logs: 0, files: 0, cache_entries: 0, usage_identities: 0 },
    });
    for (const needle of [carla.email, carla.name as string, sessionToken, providerAccountId]) {
      expect(await search.find(needle)).toEqual([]);
    }
    // her id is left only in the request that erased her
    expect((await search.find(carla.id)).map(({ table, columns }) => ({ table, columns }))).toEqual([
      { table: "public.deletion_request", columns: ["subject_id", "report"] },
    ]);
    // the key she made stays with its organization, no longer naming her
    expect(await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } })).toMatchObject({
      createdById: null,
    });
    // the audit trail keeps her actions under an id that nothing maps to a person any more
    const trail = await t.db.$queryRaw<{ row: string }[]>`
      SELECT a::text AS row FROM audit_event a WHERE actor_id = ${carla.id} OR target_id = ${carla.id}`;
    expect(trail.length).toBeGreaterThanOrEqual(2); // user.create, api_key.create
    expect(
      trail.filter(({ row }) => row.includes(carla.email) || row.includes(carla.name as string)),
    ).toEqual([]);
  });

  it("belongs to the person's organization, which no other organization can name", async () => {
    const home = await createOrganization({ db: t.db, clock }, { name: "Home", tier: "free", actor });
    const other = await createOrganization({ db: t.db, clock }, { name: "Elsewhere", tier: "free", actor });
    const dev = await person("DEVELOPER", home.id);
    await expect(requestAccountErasure(dev.id, other.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(requestAccountErasure(unique("usr_nobody"))).rejects.toMatchObject({ code: "not_found" });
    const { request } = await requestAccountErasure(dev.id);
    expect(request.organizationId).toBe(home.id);
    expect(await requestAccountErasure(dev.id, home.id)).toMatchObject({ request, created: false });
    expect(await getDeletionRequest({ db: t.db }, { organizationId: home.id, id: request.id })).toEqual(
      request,
    );
    await expect(
      requestDeletion(
        { db: t.db, clock },
        { organizationId: null, subjectType: "END_USER", subjectId: "someone", actor },
      ),
    ).rejects.toMatchObject({ code: "invalid" });
  });

  it("erases an organization's people with its credentials", async () => {
    const org = await createOrganization({ db: t.db, clock }, { name: "Closing", tier: "free", actor });
    const dev = await person("DEVELOPER", org.id);
    await t.db.session.create({
      data: { sessionToken: unique("session"), userId: dev.id, expires: clock.now() },
    });
    await createApiKey(
      { db: t.db, clock, pepper: "erasure-test-pepper-0123456789abcdef" },
      { organizationId: org.id, actor },
    );
    const { request } = await requestDeletion(
      { db: t.db, clock },
      { organizationId: org.id, subjectType: "ORGANIZATION", subjectId: org.id, actor },
    );
    await processDeletionRequests({ db: t.db, clock, erasers: erasers() });
    expect(
      (await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } })).report,
    ).toMatchObject({
      erased: { accounts: 2 }, // one key, one person
    });
    expect(await t.db.user.count({ where: { id: dev.id } })).toBe(0);
    expect(await t.db.session.count({ where: { userId: dev.id } })).toBe(0);
    expect(await search.find(dev.email)).toEqual([]);
  });

  it("keeps an erased organization's people who belong to another organization, who only leave it", async () => {
    const closing = await createOrganization(
      { db: t.db, clock },
      { name: "Closing too", tier: "free", actor },
    );
    const staying = await createOrganization({ db: t.db, clock }, { name: "Staying", tier: "free", actor });
    const onlyHere = await person("DEVELOPER", closing.id);
    const both = await person("DEVELOPER", staying.id);
    // works in the closing organization now, and belongs to the staying one too
    await setUserRole(
      { db: t.db, clock },
      { userId: both.id, role: "DEVELOPER", organizationId: closing.id, actor },
    );
    await requestDeletion(
      { db: t.db, clock },
      { organizationId: closing.id, subjectType: "ORGANIZATION", subjectId: closing.id, actor },
    );
    await processDeletionRequests({ db: t.db, clock, erasers: erasers() });
    expect(await t.db.user.count({ where: { id: onlyHere.id } })).toBe(0);
    const kept = await t.db.user.findUniqueOrThrow({
      where: { id: both.id },
      include: { memberships: true },
    });
    expect(kept.memberships.map((m) => m.organizationId)).toEqual([staying.id]);
    expect(kept.organizationId).toBe(staying.id);
  });

  const memberOf = (organizationId: string, memberRole: "OWNER" | "DEVELOPER" | "VIEWER") =>
    createUser(
      { db: t.db, clock },
      {
        email: `${unique(memberRole.toLowerCase())}@example.com`,
        role: "DEVELOPER",
        organizationId,
        memberRole,
        actor,
      },
    );

  it("opens, due at once, the erasure of an organization whose last member the erased person was", async () => {
    const emptied = await createOrganization(
      { db: t.db, clock },
      { name: unique("Emptied"), tier: "free", actor },
    );
    const last = await memberOf(emptied.id, "OWNER");
    // opened directly, as compliance does: nothing at request time looked at the organization
    await requestAccountErasure(last.id);
    const erasedAt = clock.now();
    await processDeletionRequests({ db: t.db, clock, erasers: erasers() });
    expect(await t.db.user.count({ where: { id: last.id } })).toBe(0);
    const opened = await t.db.deletionRequest.findMany({
      where: { subjectType: "ORGANIZATION", subjectId: emptied.id },
    });
    expect(opened.map((r) => [r.organizationId, r.dueAt.getTime(), r.requestedBy])).toEqual([
      [emptied.id, erasedAt.getTime(), "system:compliance"],
    ]);
    await processDeletionRequests({ db: t.db, clock, erasers: erasers() });
    expect(
      (await t.db.deletionRequest.findUniqueOrThrow({ where: { id: opened[0]?.id ?? "" } })).status,
    ).toBe("COMPLETED");
    expect((await t.db.organization.findUniqueOrThrow({ where: { id: emptied.id } })).name).toBe(
      "Deleted organization",
    );
  });

  it("makes the longest-standing active member owner when the last owner is erased, audited", async () => {
    const kept = await createOrganization({ db: t.db, clock }, { name: unique("Kept"), tier: "free", actor });
    const owner = await memberOf(kept.id, "OWNER");
    clock.advance(1_000);
    const dormant = await memberOf(kept.id, "VIEWER");
    await deactivateUser({ db: t.db, clock }, { userId: dormant.id, actor });
    clock.advance(1_000);
    const heir = await memberOf(kept.id, "DEVELOPER");
    clock.advance(1_000);
    const newest = await memberOf(kept.id, "DEVELOPER");
    await requestAccountErasure(owner.id);
    await processDeletionRequests({ db: t.db, clock, erasers: erasers() });
    const roles = await t.db.membership.findMany({
      where: { organizationId: kept.id },
      select: { userId: true, role: true },
    });
    expect(new Map(roles.map((m) => [m.userId, m.role]))).toEqual(
      new Map([
        [dormant.id, "VIEWER"],
        [heir.id, "OWNER"],
        [newest.id, "DEVELOPER"],
      ]),
    );
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "member.role.set", targetId: heir.id, organizationId: kept.id },
    });
    expect(audit).toMatchObject({ actorType: "SYSTEM", actorId: "compliance" });
    expect(audit.metadata).toMatchObject({
      from: "DEVELOPER",
      to: "OWNER",
      reason: expect.stringContaining("erased"),
    });
    expect(await t.db.deletionRequest.count({ where: { subjectId: kept.id } })).toBe(0);
  });

  it("makes a developer owner before a longer-standing viewer, and never a member who is leaving", async () => {
    const kept = await createOrganization(
      { db: t.db, clock },
      { name: unique("Heirs"), tier: "free", actor },
    );
    const owner = await memberOf(kept.id, "OWNER");
    clock.advance(1_000);
    const viewer = await memberOf(kept.id, "VIEWER");
    clock.advance(1_000);
    const leaving = await memberOf(kept.id, "DEVELOPER");
    await requestAccountErasure(leaving.id, kept.id);
    clock.advance(1_000);
    const heir = await memberOf(kept.id, "DEVELOPER");
    // the owner's erasure alone, so that the leaving member's own has not run yet
    await accountEraser(t.db, clock).erase({ type: "ACCOUNT", organizationId: kept.id, id: owner.id });
    const roles = await t.db.membership.findMany({
      where: { organizationId: kept.id },
      select: { userId: true, role: true },
    });
    expect(new Map(roles.map((m) => [m.userId, m.role]))).toEqual(
      new Map([
        [viewer.id, "VIEWER"],
        [leaving.id, "DEVELOPER"],
        [heir.id, "OWNER"],
      ]),
    );
  });

  it("opens an organization's erasure rather than hand it to members who are all deactivated or leaving", async () => {
    const orphaned = await createOrganization(
      { db: t.db, clock },
      { name: unique("Orphaned"), tier: "free", actor },
    );
    const owner = await memberOf(orphaned.id, "OWNER");
    const dormant = await memberOf(orphaned.id, "DEVELOPER");
    await deactivateUser({ db: t.db, clock }, { userId: dormant.id, actor });
    const leaving = await memberOf(orphaned.id, "VIEWER");
    await requestAccountErasure(leaving.id, orphaned.id);
    await accountEraser(t.db, clock).erase({ type: "ACCOUNT", organizationId: orphaned.id, id: owner.id });
    expect(await t.db.membership.count({ where: { organizationId: orphaned.id, role: "OWNER" } })).toBe(0);
    const opened = await t.db.deletionRequest.findMany({
      where: { subjectType: "ORGANIZATION", subjectId: orphaned.id },
    });
    expect(opened.map((r) => [r.organizationId, r.status, r.requestedBy])).toEqual([
      [orphaned.id, "PENDING", "system:compliance"],
    ]);
  });

  it("erases an organization's people under its member lock: a member change in progress finishes first", async () => {
    const locked = await createOrganization(
      { db: t.db, clock },
      { name: unique("Locked"), tier: "free", actor },
    );
    const owner = await memberOf(locked.id, "OWNER");
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let isLockTaken = () => {};
    const taken = new Promise<void>((resolve) => {
      isLockTaken = resolve;
    });
    // a member change holding the lock, which adds a member only this organization has
    const change = t.db.$transaction(
      async (tx) => {
        await lockOrganizationMembers(tx, locked.id);
        isLockTaken();
        await held;
        const joiner = await tx.user.create({
          data: {
            id: unique("usr"),
            email: `${unique("joiner")}@example.com`,
            role: "DEVELOPER",
            organizationId: locked.id,
          },
        });
        await tx.membership.create({
          data: { organizationId: locked.id, userId: joiner.id, role: "DEVELOPER", createdAt: clock.now() },
        });
        return joiner.id;
      },
      { timeout: 20_000 },
    );
    await taken;
    let isErased = false;
    const erasure = accountEraser(t.db, clock)
      .erase({ type: "ORGANIZATION", organizationId: locked.id, id: locked.id })
      .then((count) => {
        isErased = true;
        return count;
      });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(isErased).toBe(false);
    release();
    const joinerId = await change;
    await erasure;
    // the erasure saw the member who joined while it waited, and erased them with the others
    expect(await t.db.user.count({ where: { id: { in: [owner.id, joinerId] } } })).toBe(0);
  });

  it("deletes an erased organization's invitations: their links stop working", async () => {
    const doomed = await createOrganization(
      { db: t.db, clock },
      { name: unique("Doomed"), tier: "free", actor },
    );
    const owner = await memberOf(doomed.id, "OWNER");
    const sent = await inviteMember(
      {
        db: t.db,
        clock,
        mailer: null,
        dashboardUrl: "https://dashboard.example.test",
        throttle: createAccountThrottle(createMemoryRateLimiter({ clock })),
      },
      {
        organizationId: doomed.id,
        email: `${unique("invitee")}@example.com`,
        role: "DEVELOPER",
        actor: { type: "USER", id: owner.id, origin: "203.0.113.7" },
        actorRole: "OWNER",
      },
    );
    await requestDeletion(
      { db: t.db, clock },
      { organizationId: doomed.id, subjectType: "ORGANIZATION", subjectId: doomed.id, actor },
    );
    await processDeletionRequests({ db: t.db, clock, erasers: erasers() });
    expect(await t.db.accountToken.count({ where: { organizationId: doomed.id } })).toBe(0);
    const token = new URL(sent.link ?? "").hash.replace(/^#token=/, "");
    await expect(
      acceptInvitation(
        { db: t.db, clock, signup: "open" },
        {
          token,
          signedInUserId: null,
          newAccount: { password: "correct horse battery staple 42" },
          origin: "x",
        },
      ),
    ).rejects.toMatchObject({ code: "not_found", message: INVITATION_GONE_MESSAGE });
  });

  it("refuses to erase the last active admin, when asked and again when the worker runs", async () => {
    const first = await person("ADMIN");
    const activeAdmins = await t.db.user.count({ where: { role: "ADMIN", deactivatedAt: null } });
    expect(activeAdmins).toBe(1); // this file's database has no other admin
    await expect(requestAccountErasure(first.id)).rejects.toMatchObject({
      code: "conflict",
      message: "At least one active admin must remain.",
    });

    const second = await person("ADMIN");
    const { request } = await requestAccountErasure(first.id);
    // admins change in the hours before the worker runs: now the first is the last again
    await deactivateUser({ db: t.db, clock }, { userId: second.id, actor });
    await processDeletionRequests({ db: t.db, clock, erasers: erasers() });
    expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "FAILED",
    });
    expect(await t.db.user.count({ where: { id: first.id } })).toBe(1);
    const failure = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "deletion_request.fail", targetId: request.id },
    });
    expect(failure.metadata).toMatchObject({ error: "DomainError", code: "conflict" });

    // with another admin back, the next run after the backoff (failed requests are retried) erases the first
    await reactivateUser({ db: t.db, clock }, { userId: second.id, actor });
    clock.advance(retryDelayMs(1));
    await processDeletionRequests({ db: t.db, clock, erasers: erasers() });
    expect(await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "COMPLETED",
    });
    expect(await t.db.user.count({ where: { id: first.id } })).toBe(0);
  });
});
