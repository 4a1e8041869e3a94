import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import type { Actor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { authenticateWithPassword } from "./authenticate-with-password.ts";
import { changePassword } from "./change-password.ts";
import { createUser } from "./create-user.ts";
import { deactivateUser } from "./deactivate-user.ts";
import { findSessionUser } from "./find-session-user.ts";
import { listUsers } from "./list-users.ts";
import { verifyPassword } from "./password.ts";
import { reactivateUser } from "./reactivate-user.ts";
import { SESSION_USER_INCLUDE, toSessionIdentity } from "./session-identity.ts";
import { setUserPassword } from "./set-user-password.ts";
import { setUserRole } from "./set-user-role.ts";
import { signOutEverywhere } from "./sign-out-everywhere.ts";

let t: TestDatabase;
const clock = fakeClock();
const deps = () => ({ db: t.db, clock });
let orgId: string;
let otherOrgId: string;
let admin: Actor;

beforeAll(async () => {
  t = await createTestDatabase();
  const system: Actor = { type: "SYSTEM", id: "test", origin: "cli" };
  orgId = (await createOrganization(deps(), { name: "People Co", tier: "free", actor: system })).id;
  otherOrgId = (await createOrganization(deps(), { name: "Other Co", tier: "free", actor: system })).id;
  const first = await createUser(deps(), {
    email: "first-admin@example.com",
    role: "ADMIN",
    password: "correct horse battery",
    actor: system,
  });
  admin = { type: "USER", id: first.id, origin: "203.0.113.7" };
});

const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 8)}@example.com`;

describe("createUser", () => {
  it("stores an argon2 hash, normalises the e-mail and records who added the person", async () => {
    const email = unique("Dev");
    const user = await createUser(deps(), {
      email: `  ${email.toUpperCase()} `,
      name: " Dana Dev ",
      role: "DEVELOPER",
      organizationId: orgId,
      password: "a long enough password",
      actor: admin,
    });
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      name: "Dana Dev",
      role: "DEVELOPER",
      organizationId: orgId,
      organizationName: "People Co",
      hasPassword: true,
      isActive: true,
    });
    expect(user.id).toMatch(/^usr_/);
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash ?? "", "a long enough password")).toBe(true);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: user.id } });
    expect(audit).toMatchObject({
      action: "user.create",
      actorType: "USER",
      actorId: admin.id,
      origin: "203.0.113.7",
      organizationId: orgId,
    });
    expect(JSON.stringify(audit.metadata)).not.toContain("a long enough password");
  });

  it("invites a person without a password, and keeps admins out of organizations", async () => {
    const user = await createUser(deps(), {
      email: unique("sso"),
      role: "COMPLIANCE",
      organizationId: orgId,
      actor: admin,
    });
    expect(user).toMatchObject({ hasPassword: false, organizationId: null, role: "COMPLIANCE" });
  });

  it("refuses bad input with the field at fault", async () => {
    const base = { role: "DEVELOPER" as const, organizationId: orgId, actor: admin };
    await expect(createUser(deps(), { ...base, email: "not-an-address" })).rejects.toMatchObject({
      code: "invalid",
      param: "email",
    });
    await expect(
      createUser(deps(), { ...base, email: unique("short"), password: "short" }),
    ).rejects.toMatchObject({ code: "invalid", param: "password" });
    await expect(
      createUser(deps(), { ...base, email: unique("orphan"), organizationId: null }),
    ).rejects.toMatchObject({ code: "invalid", param: "organizationId" });
    await expect(
      createUser(deps(), { ...base, email: unique("ghost"), organizationId: "org_missing" }),
    ).rejects.toMatchObject({ code: "invalid", param: "organizationId" });
  });

  it("refuses a person without a password when no identity provider could sign them in", async () => {
    const email = unique("stranded");
    const refused = await createUser(deps(), {
      email,
      role: "COMPLIANCE",
      hasIdentityProvider: false,
      actor: admin,
    }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "invalid", param: "password" });
    expect((refused as Error).message).toMatch(/^Set a password\. No identity provider/);
    expect(await t.db.user.count({ where: { email } })).toBe(0);
    // with a password, or with an identity provider to sign in through, the person is added
    await createUser(deps(), { email, role: "COMPLIANCE", hasIdentityProvider: true, actor: admin });
    const withPassword = await createUser(deps(), {
      email: unique("with-password"),
      role: "COMPLIANCE",
      password: "a long enough password",
      hasIdentityProvider: false,
      actor: admin,
    });
    expect(withPassword).toMatchObject({ hasPassword: true, mustChangePassword: false });
  });

  it("refuses an e-mail address that already has an account, whatever its case", async () => {
    const email = unique("twice");
    await createUser(deps(), { email, role: "COMPLIANCE", actor: admin });
    await expect(
      createUser(deps(), { email: email.toUpperCase(), role: "COMPLIANCE", actor: admin }),
    ).rejects.toMatchObject({ code: "conflict", param: "email" });
  });
});

describe("listUsers", () => {
  it("searches, filters and pages on the server", async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    for (const n of [1, 2, 3]) {
      await createUser(deps(), {
        email: `paged${n}-${tag}@example.com`,
        role: "DEVELOPER",
        organizationId: otherOrgId,
        actor: admin,
      });
    }
    const first = await listUsers(deps(), { search: tag, limit: 2 });
    expect(first.items.map((u) => u.email)).toEqual([
      `paged1-${tag}@example.com`,
      `paged2-${tag}@example.com`,
    ]);
    expect(first.nextCursor).toBe(first.items[1]?.id);
    const second = await listUsers(deps(), { search: tag, limit: 2, after: first.nextCursor ?? "" });
    expect(second.items.map((u) => u.email)).toEqual([`paged3-${tag}@example.com`]);
    expect(second.nextCursor).toBeNull();

    const inOther = await listUsers(deps(), { organizationId: otherOrgId, role: "DEVELOPER" });
    expect(inOther.items.every((u) => u.organizationId === otherOrgId)).toBe(true);
    expect(inOther.items).toHaveLength(3);
  });

  it("hides deactivated people unless asked", async () => {
    const user = await createUser(deps(), { email: unique("gone"), role: "COMPLIANCE", actor: admin });
    await deactivateUser(deps(), { userId: user.id, actor: admin });
    const search = user.email.split("@")[0] ?? "";
    expect((await listUsers(deps(), { search })).items).toEqual([]);
    expect((await listUsers(deps(), { search, status: "deactivated" })).items.map((u) => u.id)).toEqual([
      user.id,
    ]);
    expect((await listUsers(deps(), { search, status: "all" })).items).toHaveLength(1);
  });
});

describe("setUserRole", () => {
  it("changes role and organization together, audited with before and after", async () => {
    const user = await createUser(deps(), {
      email: unique("mover"),
      role: "DEVELOPER",
      organizationId: orgId,
      actor: admin,
    });
    const moved = await setUserRole(deps(), {
      userId: user.id,
      role: "DEVELOPER",
      organizationId: otherOrgId,
      actor: admin,
    });
    expect(moved.organizationId).toBe(otherOrgId);
    // joining another organization keeps the first: a person may belong to several
    const memberships = await t.db.membership.findMany({
      where: { userId: user.id },
      orderBy: { createdAt: "asc" },
    });
    expect(memberships.map((m) => [m.organizationId, m.role]).sort()).toEqual(
      [
        [orgId, "DEVELOPER"],
        [otherOrgId, "DEVELOPER"],
      ].sort(),
    );
    const promoted = await setUserRole(deps(), {
      userId: user.id,
      role: "COMPLIANCE",
      organizationId: otherOrgId,
      actor: admin,
    });
    expect(promoted).toMatchObject({ role: "COMPLIANCE", organizationId: null });
    expect(await t.db.membership.count({ where: { userId: user.id } })).toBe(0);
    const audits = await t.db.auditEvent.findMany({
      where: { targetId: user.id, action: "user.role.set" },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => a.metadata)).toEqual([
      {
        from: { role: "DEVELOPER", organizationId: orgId },
        to: { role: "DEVELOPER", organizationId: otherOrgId, memberRole: "DEVELOPER" },
      },
      {
        from: { role: "DEVELOPER", organizationId: otherOrgId },
        to: { role: "COMPLIANCE", organizationId: null },
      },
    ]);
  });

  it("refuses changing one's own role, unknown people, and developers without an organization", async () => {
    await expect(
      setUserRole(deps(), { userId: admin.id, role: "DEVELOPER", organizationId: orgId, actor: admin }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      setUserRole(deps(), { userId: "usr_missing", role: "ADMIN", actor: admin }),
    ).rejects.toMatchObject({ code: "not_found" });
    const user = await createUser(deps(), { email: unique("c"), role: "COMPLIANCE", actor: admin });
    await expect(
      setUserRole(deps(), { userId: user.id, role: "DEVELOPER", actor: admin }),
    ).rejects.toMatchObject({ code: "invalid", param: "organizationId" });
  });
});

describe("setUserRole and the organizations' owners", () => {
  const member = (organizationId: string, memberRole: "OWNER" | "DEVELOPER" | "VIEWER") =>
    createUser(deps(), {
      email: unique(memberRole.toLowerCase()),
      role: "DEVELOPER",
      organizationId,
      memberRole,
      actor: admin,
    });
  const roleIn = async (organizationId: string, userId: string) =>
    (await t.db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } } }))
      ?.role ?? null;
  const system: Actor = { type: "SYSTEM", id: "test", origin: "cli" };
  const team = async () =>
    (await createOrganization(deps(), { name: unique("team"), tier: "free", actor: system })).id;

  it("keeps a member's role in the organization when no member role is given", async () => {
    const org = await team();
    const owner = await member(org, "OWNER");
    await member(org, "DEVELOPER");
    await setUserRole(deps(), { userId: owner.id, role: "DEVELOPER", organizationId: org, actor: admin });
    expect(await roleIn(org, owner.id)).toBe("OWNER");
  });

  it("refuses to demote an organization's last owner, or give them a platform role, and lets a second owner go", async () => {
    const org = await team();
    const owner = await member(org, "OWNER");
    await member(org, "DEVELOPER");
    const lastOwner = { code: "conflict", message: expect.stringContaining("last owner") };
    await expect(
      setUserRole(deps(), {
        userId: owner.id,
        role: "DEVELOPER",
        organizationId: org,
        memberRole: "VIEWER",
        actor: admin,
      }),
    ).rejects.toMatchObject(lastOwner);
    for (const role of ["ADMIN", "COMPLIANCE"] as const) {
      await expect(setUserRole(deps(), { userId: owner.id, role, actor: admin })).rejects.toMatchObject(
        lastOwner,
      );
    }
    expect(await roleIn(org, owner.id)).toBe("OWNER");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: owner.id } })).role).toBe("DEVELOPER");

    // a deactivated owner does not count as another
    const dormant = await member(org, "OWNER");
    await deactivateUser(deps(), { userId: dormant.id, actor: admin });
    await expect(
      setUserRole(deps(), {
        userId: owner.id,
        role: "DEVELOPER",
        organizationId: org,
        memberRole: "DEVELOPER",
        actor: admin,
      }),
    ).rejects.toMatchObject(lastOwner);

    const second = await member(org, "OWNER");
    await setUserRole(deps(), {
      userId: owner.id,
      role: "DEVELOPER",
      organizationId: org,
      memberRole: "DEVELOPER",
      actor: admin,
    });
    expect(await roleIn(org, owner.id)).toBe("DEVELOPER");
    await expect(
      setUserRole(deps(), { userId: second.id, role: "COMPLIANCE", actor: admin }),
    ).rejects.toMatchObject(lastOwner);
  });
});

describe("deactivating and reactivating", () => {
  it("marks the person deactivated once, audited, and reactivates them", async () => {
    const user = await createUser(deps(), { email: unique("leaver"), role: "COMPLIANCE", actor: admin });
    const gone = await deactivateUser(deps(), { userId: user.id, actor: admin });
    expect(gone).toMatchObject({ isActive: false, deactivatedAt: clock.now() });
    await deactivateUser(deps(), { userId: user.id, actor: admin });
    const back = await reactivateUser(deps(), { userId: user.id, actor: admin });
    expect(back.isActive).toBe(true);
    const actions = await t.db.auditEvent.findMany({ where: { targetId: user.id }, orderBy: { id: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["user.create", "user.deactivate", "user.reactivate"]);
  });

  it("never leaves the platform without an active admin, nor lets admins lock themselves out", async () => {
    await expect(deactivateUser(deps(), { userId: admin.id, actor: admin })).rejects.toMatchObject({
      code: "forbidden",
    });
    // a second admin may act on the first only while another active admin remains
    const second = await createUser(deps(), { email: unique("admin2"), role: "ADMIN", actor: admin });
    const secondActor: Actor = { type: "USER", id: second.id, origin: "127.0.0.1" };
    const others = await t.db.user.findMany({
      where: { role: "ADMIN", deactivatedAt: null, id: { notIn: [admin.id, second.id] } },
    });
    expect(others).toEqual([]);
    await deactivateUser(deps(), { userId: second.id, actor: admin });
    await expect(
      setUserRole(deps(), { userId: admin.id, role: "COMPLIANCE", actor: secondActor }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(deactivateUser(deps(), { userId: admin.id, actor: secondActor })).rejects.toMatchObject({
      code: "conflict",
    });
    await reactivateUser(deps(), { userId: second.id, actor: admin });
    const demoted = await setUserRole(deps(), { userId: second.id, role: "COMPLIANCE", actor: admin });
    expect(demoted.role).toBe("COMPLIANCE");
  });
});

describe("signOutEverywhere", () => {
  it("ends every session of the person, whatever their password, audited", async () => {
    const user = await createUser(deps(), { email: unique("sso"), role: "COMPLIANCE", actor: admin });
    const before = await credentialVersionOf(user.id);
    expect(await findSessionUser(deps(), { userId: user.id, credentialVersion: before })).not.toBeNull();

    await signOutEverywhere(deps(), { userId: user.id, actor: { type: "USER", id: user.id, origin: "x" } });
    expect(await findSessionUser(deps(), { userId: user.id, credentialVersion: before })).toBeNull();
    const after = await credentialVersionOf(user.id);
    expect(after).not.toBe(before);
    expect(await findSessionUser(deps(), { userId: user.id, credentialVersion: after })).not.toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "user.sessions.end", targetId: user.id } })).toBe(
      1,
    );
    await expect(signOutEverywhere(deps(), { userId: "usr_nobody", actor: admin })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

async function credentialVersionOf(userId: string) {
  return toSessionIdentity(
    await t.db.user.findUniqueOrThrow({ where: { id: userId }, include: SESSION_USER_INCLUDE }),
  ).credentialVersion;
}

describe("setUserPassword", () => {
  it("sets a password an admin knows: sessions end, the person must choose their own, audited", async () => {
    // invited for single sign-on that was never configured: nothing could sign them in
    const user = await createUser(deps(), { email: unique("stranded"), role: "COMPLIANCE", actor: admin });
    const before = await credentialVersionOf(user.id);
    const set = await setUserPassword(deps(), {
      userId: user.id,
      password: "an admin's password 1",
      actor: admin,
    });
    expect(set).toMatchObject({ hasPassword: true, mustChangePassword: true });
    expect(await findSessionUser(deps(), { userId: user.id, credentialVersion: before })).toBeNull();
    const signIn = await authenticateWithPassword(deps(), {
      email: user.email,
      password: "an admin's password 1",
    });
    expect(signIn).toMatchObject({ outcome: "signed_in", user: { id: user.id, mustChangePassword: true } });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "user.password.set", targetId: user.id },
    });
    expect(audit).toMatchObject({ actorId: admin.id, origin: "203.0.113.7" });
    expect(JSON.stringify(audit.metadata)).not.toContain("an admin's password 1");

    // choosing their own lifts the hold
    const self: Actor = { type: "USER", id: user.id, origin: "198.51.100.9" };
    await changePassword(deps(), {
      userId: user.id,
      currentPassword: "an admin's password 1",
      newPassword: "my very own password",
      actor: self,
    });
    const after = await t.db.user.findUniqueOrThrow({
      where: { id: user.id },
      include: SESSION_USER_INCLUDE,
    });
    expect(after.mustChangePassword).toBe(false);
    expect(toSessionIdentity(after).mustChangePassword).toBe(false);
  });

  it("refuses the admin's own password, a short one and an unknown person", async () => {
    await expect(
      setUserPassword(deps(), { userId: admin.id, password: "a long enough password", actor: admin }),
    ).rejects.toMatchObject({ code: "forbidden" });
    const user = await createUser(deps(), { email: unique("short"), role: "COMPLIANCE", actor: admin });
    await expect(
      setUserPassword(deps(), { userId: user.id, password: "short", actor: admin }),
    ).rejects.toMatchObject({ code: "invalid", param: "password" });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
    await expect(
      setUserPassword(deps(), { userId: "usr_nobody", password: "a long enough password", actor: admin }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
