import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { MemberRole } from "@dsc/vocabulary";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { issueAccountToken } from "../account-tokens/account-tokens.ts";
import { type Actor, cliActor } from "../audit/actor.ts";
import { createApiKey } from "../credentials/api-keys.ts";
import { createDiskFileStorage } from "../files/disk-file-storage.ts";
import type { FileStorage } from "../files/file-storage.ts";
import { leaveOrganization } from "../memberships/leave-organization.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { authenticateWithPassword } from "../users/authenticate-with-password.ts";
import { createUser } from "../users/create-user.ts";
import { lockOrganizationMembers } from "../users/organization-owners.ts";
import { placeMember } from "../users/place-member.ts";
import { reactivateUser } from "../users/reactivate-user.ts";
import { processDeletionRequests } from "./process-deletion-requests.ts";
import { requestAccountErasure } from "./request-account-erasure.ts";
import { allSubjectErasers } from "./subject-eraser.ts";

let t: TestDatabase;
let filesDir: string;
let storage: FileStorage;
const clock = fakeClock(new Date("2026-06-01T00:00:00Z"));
const cli = cliActor("test");
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
  filesDir = await mkdtemp(path.join(os.tmpdir(), "dsc-account-erasure-"));
  storage = createDiskFileStorage({ directory: filesDir });
});
afterAll(async () => {
  await rm(filesDir, { recursive: true, force: true });
});

const unique = (label: string) => `${label}-${randomBytes(5).toString("hex")}`;
const deps = () => ({ db: t.db, clock });
const selfActor = (userId: string): Actor => ({ type: "USER", id: userId, origin: "203.0.113.7" });

async function organization(name: string) {
  return (await createOrganization(deps(), { name: unique(name), tier: "free", actor: cli })).id;
}

/** A signed-up person: a member of `organizationId` with `role`. */
async function member(organizationId: string, role: MemberRole) {
  return createUser(deps(), {
    email: `${unique(role.toLowerCase())}@example.com`,
    role: "DEVELOPER",
    organizationId,
    memberRole: role,
    password: "a test password 123",
    actor: cli,
  });
}

async function join(userId: string, organizationId: string, role: MemberRole) {
  await t.db.$transaction((tx) => placeMember(tx, { userId, organizationId, role, now: clock.now() }));
}

async function openRequests(subjectId: string) {
  return t.db.deletionRequest.findMany({ where: { subjectId, status: { not: "COMPLETED" } } });
}

describe("requestAccountErasure", () => {
  it("erases the person, the organization they were the only member of, and the links sent to their address", async () => {
    const solo = await organization("Solo");
    const shared = await organization("Shared");
    const elsewhere = await organization("Elsewhere");
    const person = await member(solo, "OWNER");
    const colleague = await member(shared, "OWNER");
    await join(person.id, shared, "DEVELOPER");
    const inviter = await member(elsewhere, "OWNER");
    // an invitation to their address, which names no user, and a link tied to them
    await t.db.$transaction(async (tx) => {
      await issueAccountToken(tx, clock, {
        purpose: "INVITATION",
        email: person.email,
        organizationId: elsewhere,
        memberRole: "VIEWER",
        createdById: inviter.id,
      });
      await issueAccountToken(tx, clock, {
        purpose: "PASSWORD_RESET",
        email: person.email,
        userId: person.id,
      });
    });
    const epochBefore = (await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).sessionEpoch;

    const requests = await requestAccountErasure(deps(), {
      userId: person.id,
      confirmEmail: `  ${person.email.toUpperCase()} `,
      actor: selfActor(person.id),
    });

    expect(requests.account).toMatchObject({
      subjectType: "ACCOUNT",
      subjectId: person.id,
      status: "PENDING",
    });
    expect(requests.account.dueAt.getTime() - clock.now().getTime()).toBe(72 * HOUR);
    expect(requests.organizations.map((r) => [r.subjectType, r.subjectId])).toEqual([["ORGANIZATION", solo]]);
    // the shared organization keeps going with its owner: nothing of it is requested
    expect(await openRequests(shared)).toEqual([]);
    const audits = await t.db.auditEvent.findMany({
      where: { actorId: person.id },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => a.action)).toEqual([
      "deletion_request.create",
      "deletion_request.create",
      "user.deactivate",
      "user.sessions.end",
    ]);
    const after = await t.db.user.findUniqueOrThrow({ where: { id: person.id } });
    expect(after.sessionEpoch).toBe(epochBefore + 1);
    expect(after.deactivatedAt).toEqual(clock.now());

    clock.advance(HOUR);
    await processDeletionRequests({
      db: t.db,
      clock,
      erasers: allSubjectErasers({ db: t.db, clock, storage, cache: null, cacheTtlMs: 0 }),
    });

    for (const request of [requests.account, ...requests.organizations]) {
      const done = await t.db.deletionRequest.findUniqueOrThrow({ where: { id: request.id } });
      expect(done.status).toBe("COMPLETED");
    }
    expect(await t.db.user.count({ where: { id: person.id } })).toBe(0);
    expect(await t.db.accountToken.count({ where: { email: person.email } })).toBe(0);
    expect(await t.db.membership.count({ where: { organizationId: solo } })).toBe(0);
    expect((await t.db.organization.findUniqueOrThrow({ where: { id: solo } })).name).toBe(
      "Deleted organization",
    );
    const stays = await t.db.membership.findMany({ where: { organizationId: shared } });
    expect(stays.map((m) => m.userId)).toEqual([colleague.id]);
    // the inviter's own links are not the erased person's
    expect(await t.db.user.count({ where: { id: inviter.id } })).toBe(1);
  });

  it("refuses the last owner of an organization that has other members, and opens nothing", async () => {
    const team = await organization("Team");
    const owner = await member(team, "OWNER");
    await member(team, "DEVELOPER");
    const error = await requestAccountErasure(deps(), {
      userId: owner.id,
      confirmEmail: owner.email,
      actor: selfActor(owner.id),
    }).catch((e) => e);
    expect(error).toMatchObject({ code: "conflict" });
    expect(error.message).toContain("Hand ownership over");
    expect(await openRequests(owner.id)).toEqual([]);
    expect(await openRequests(team)).toEqual([]);
  });

  it("lets an owner go when another owner stays", async () => {
    const team = await organization("Two owners");
    const owner = await member(team, "OWNER");
    await member(team, "OWNER");
    const requests = await requestAccountErasure(deps(), {
      userId: owner.id,
      confirmEmail: owner.email,
      actor: selfActor(owner.id),
    });
    expect(requests.organizations).toEqual([]);
    expect(requests.account.subjectId).toBe(owner.id);
  });

  it("needs the person's own address typed, and leaves admins and compliance officers to compliance", async () => {
    const org = await organization("Typo");
    const viewer = await member(org, "VIEWER");
    await member(org, "OWNER");
    const typo = await requestAccountErasure(deps(), {
      userId: viewer.id,
      confirmEmail: `x${viewer.email}`,
      actor: selfActor(viewer.id),
    }).catch((e) => e);
    expect(typo).toMatchObject({ code: "invalid", param: "confirmEmail" });
    expect(await openRequests(viewer.id)).toEqual([]);

    const officer = await createUser(deps(), {
      email: `${unique("officer")}@example.com`,
      role: "COMPLIANCE",
      password: "a test password 123",
      actor: cli,
    });
    await expect(
      requestAccountErasure(deps(), {
        userId: officer.id,
        confirmEmail: officer.email,
        actor: selfActor(officer.id),
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    expect(await openRequests(officer.id)).toEqual([]);
  });

  it("counts members whose own erasure is on its way as gone: two members of a team who each erase their account erase the team", async () => {
    const team = await organization("Pair");
    const first = await member(team, "OWNER");
    const second = await member(team, "OWNER");
    await createApiKey(
      { db: t.db, clock, pepper: "account-erasure-test-pepper-0123456789" },
      { organizationId: team, name: "k", actor: selfActor(first.id) },
    );
    const asked = await requestAccountErasure(deps(), {
      userId: first.id,
      confirmEmail: first.email,
      actor: selfActor(first.id),
    });
    expect(asked.organizations).toEqual([]);
    const last = await requestAccountErasure(deps(), {
      userId: second.id,
      confirmEmail: second.email,
      actor: selfActor(second.id),
    });
    expect(last.organizations.map((r) => [r.subjectType, r.subjectId])).toEqual([["ORGANIZATION", team]]);
    clock.advance(73 * HOUR);
    await processDeletionRequests({
      db: t.db,
      clock,
      erasers: allSubjectErasers({ db: t.db, clock, storage, cache: null, cacheTtlMs: 0 }),
    });
    expect(await t.db.apiKey.count({ where: { organizationId: team } })).toBe(0);
    expect(await t.db.membership.count({ where: { organizationId: team } })).toBe(0);
    expect(await t.db.user.count({ where: { id: { in: [first.id, second.id] } } })).toBe(0);
  });

  it("does not count an owner whose erasure is on its way, nor a deactivated one, as another owner", async () => {
    const team = await organization("Owners");
    const leaving = await member(team, "OWNER");
    const staying = await member(team, "OWNER");
    await member(team, "DEVELOPER");
    await requestAccountErasure(deps(), {
      userId: leaving.id,
      confirmEmail: leaving.email,
      actor: selfActor(leaving.id),
    });
    // the other owner may neither leave nor erase their account: nobody would own the team
    await expect(
      leaveOrganization(deps(), { userId: staying.id, organizationId: team, actor: selfActor(staying.id) }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("last owner") });
    await expect(
      requestAccountErasure(deps(), {
        userId: staying.id,
        confirmEmail: staying.email,
        actor: selfActor(staying.id),
      }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("last owner") });

    const other = await organization("Dormant");
    const active = await member(other, "OWNER");
    const dormant = await member(other, "OWNER");
    await member(other, "VIEWER");
    await t.db.user.update({ where: { id: dormant.id }, data: { deactivatedAt: clock.now() } });
    await expect(
      leaveOrganization(deps(), { userId: active.id, organizationId: other, actor: selfActor(active.id) }),
    ).rejects.toMatchObject({ code: "conflict" });
  });

  it("deactivates the person with the request: they cannot sign in while the erasure waits, until an admin reactivates them", async () => {
    const team = await organization("Solo");
    const person = await member(team, "OWNER");
    await requestAccountErasure(deps(), {
      userId: person.id,
      confirmEmail: person.email,
      actor: selfActor(person.id),
    });
    const signIn = () =>
      authenticateWithPassword({ db: t.db }, { email: person.email, password: "a test password 123" });
    expect((await signIn()).outcome).toBe("deactivated");
    await reactivateUser(deps(), { userId: person.id, actor: cli });
    expect((await signIn()).outcome).toBe("signed_in");
  });

  it("reads the person's memberships again under the locks: a membership that arrives meanwhile counts", async () => {
    const solo = await organization("Solo");
    const person = await member(solo, "OWNER");
    const later = await organization("Later");
    const other = await member(later, "OWNER");
    // the person joins a second organization, as its last owner, while their request waits for
    // the first one's lock; the request must see it and refuse
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let isLockTaken = () => {};
    const taken = new Promise<void>((resolve) => {
      isLockTaken = resolve;
    });
    const joining = t.db.$transaction(
      async (tx) => {
        await lockOrganizationMembers(tx, solo);
        isLockTaken();
        await held;
        await placeMember(tx, { userId: person.id, organizationId: later, role: "OWNER", now: clock.now() });
        await tx.membership.update({
          where: { organizationId_userId: { organizationId: later, userId: other.id } },
          data: { role: "VIEWER" },
        });
      },
      { timeout: 20_000 },
    );
    await taken;
    const asked = requestAccountErasure(deps(), {
      userId: person.id,
      confirmEmail: person.email,
      actor: selfActor(person.id),
    }).catch((e) => e);
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await joining;
    expect(await asked).toMatchObject({ code: "conflict", message: expect.stringContaining("last owner") });
    expect(await openRequests(person.id)).toEqual([]);
  });
});
