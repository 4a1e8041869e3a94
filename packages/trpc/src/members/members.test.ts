import { randomUUID } from "node:crypto";
import { DomainError } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
const tokenOf = (link: string | null) => new URL(link ?? "").hash.replace(/^#token=/, "");
const newAddress = () => `invitee-${randomUUID()}@example.com`;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

async function roleIn(organizationId: string, userId: string) {
  const membership = await t.db.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId } },
  });
  return membership?.role ?? null;
}

describe("members.invite, members.invitations and members.revokeInvitation", () => {
  it("let an owner invite into their organization, see it pending and revoke it, audited as them", async () => {
    const owner = w.as("OWNER");
    const email = newAddress();
    const sent = await owner.members.invite({ organizationId: w.ownOrg, email, role: "DEVELOPER" });
    expect(sent).toMatchObject({ emailed: false, link: expect.stringContaining("/invite#token=") });
    const pending = await owner.members.invitations({ organizationId: w.ownOrg });
    expect(pending).toContainEqual(
      expect.objectContaining({ id: sent.invitationId, email, role: "DEVELOPER" }),
    );
    // compliance officers read them too
    expect(
      (await w.as("COMPLIANCE").members.invitations({ organizationId: w.ownOrg })).map((i) => i.id),
    ).toContain(sent.invitationId);
    await owner.members.revokeInvitation({ organizationId: w.ownOrg, invitationId: sent.invitationId });
    expect((await owner.members.invitations({ organizationId: w.ownOrg })).map((i) => i.id)).not.toContain(
      sent.invitationId,
    );
    await expect(w.caller(null).invitations.preview({ token: tokenOf(sent.link) })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "This invitation has expired or was already used.",
    });
    const audits = await t.db.auditEvent.findMany({
      where: { targetId: sent.invitationId },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => [a.action, a.actorId, a.origin])).toEqual([
      ["member.invited", w.people.OWNER.id, "192.0.2.10"],
      ["member.invitation_revoked", w.people.OWNER.id, "192.0.2.10"],
    ]);
  });

  it("refuse an owner acting on another organization as if it did not exist; admins invite anywhere", async () => {
    const owner = w.as("OWNER");
    await expect(
      owner.members.invite({ organizationId: w.otherOrg, email: newAddress(), role: "VIEWER" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(owner.members.invitations({ organizationId: w.otherOrg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    for (const call of [
      () => owner.members.setRole({ organizationId: w.otherOrg, userId: w.people.OWNER.id, role: "VIEWER" }),
      () => owner.members.remove({ organizationId: w.otherOrg, userId: w.people.OWNER.id }),
      () => owner.members.transferOwnership({ organizationId: w.otherOrg, toUserId: w.people.VIEWER.id }),
      () => owner.members.revokeInvitation({ organizationId: w.otherOrg, invitationId: "atok_x" }),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    const byAdmin = await w
      .as("ADMIN")
      .members.invite({ organizationId: w.otherOrg, email: newAddress(), role: "OWNER" });
    expect(byAdmin.emailed).toBe(false);
  });

  it("are refused to developers, viewers and compliance officers (who may only read invitations)", async () => {
    for (const role of ["DEVELOPER", "VIEWER", "COMPLIANCE"] as const) {
      await expect(
        w.as(role).members.invite({ organizationId: w.ownOrg, email: newAddress(), role: "VIEWER" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    for (const role of ["DEVELOPER", "VIEWER"] as const) {
      await expect(w.as(role).members.invitations({ organizationId: w.ownOrg })).rejects.toMatchObject({
        code: "FORBIDDEN",
      });
    }
  });

  it("refuse bad input with the field at fault and an existing member; under SIGNUP=closed an owner's invitation of a new address fails when accepted", async () => {
    const owner = w.as("OWNER");
    const bad = await owner.members
      .invite({ organizationId: w.ownOrg, email: "not an address", role: "VIEWER" })
      .catch((e) => e);
    expect(bad).toMatchObject({ code: "BAD_REQUEST" });
    expect(bad.cause?.issues.map((i: { path: unknown[] }) => i.path)).toEqual([["email"]]);
    await expect(
      // biome-ignore lint/suspicious/noExplicitAny: a role the schema does not know
      owner.members.invite({ organizationId: w.ownOrg, email: newAddress(), role: "ADMIN" as any }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      owner.members.invite({
        organizationId: w.ownOrg,
        email: "x".repeat(250) + "@example.com",
        role: "VIEWER",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const viewer = await t.db.user.findUniqueOrThrow({ where: { id: w.people.VIEWER.id } });
    await expect(
      owner.members.invite({ organizationId: w.ownOrg, email: viewer.email, role: "OWNER" }),
    ).rejects.toMatchObject({ code: "CONFLICT", cause: { param: "email" } });
    const closed = {
      accounts: { signup: "closed" as const, mailer: null, dashboardUrl: "https://d.example" },
    };
    // sent like any other, so that it tells the owner nothing; the new account is refused later
    const byOwner = await w
      .caller(w.people.OWNER, closed)
      .members.invite({ organizationId: w.ownOrg, email: newAddress(), role: "VIEWER" });
    await expect(
      w.caller(null, closed).invitations.accept({
        token: tokenOf(byOwner.link),
        newAccount: { password: "correct horse battery staple 93" },
      }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "This platform does not take new accounts; ask an administrator.",
    });
    const byAdmin = await w
      .caller(w.people.ADMIN, closed)
      .members.invite({ organizationId: w.ownOrg, email: newAddress(), role: "VIEWER" });
    expect(byAdmin.link).toMatch(/^https:\/\/d\.example\/invite#token=/);
  });
});

describe("members.invite's e-mails", () => {
  it("need the inviter's verified address (admins need none), and are counted on the account throttle", async () => {
    await expect(
      w
        .caller({ ...w.people.OWNER, emailVerified: false })
        .members.invite({ organizationId: w.ownOrg, email: newAddress(), role: "VIEWER" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("Verify your e-mail address first"),
    });
    await expect(
      w
        .caller({ ...w.people.ADMIN, emailVerified: false })
        .members.invite({ organizationId: w.ownOrg, email: newAddress(), role: "VIEWER" }),
    ).resolves.toMatchObject({ emailed: false });

    const spent: { email: string; origin: string; accountId?: string }[] = [];
    const counted = w.caller(w.people.OWNER, {
      accountThrottle: {
        spend: async (action, input) => {
          expect(action).toBe("account-mail");
          spent.push(input);
          if (spent.length > 1)
            throw new DomainError("rate_limited", "Too many attempts. Try again in 1 hour.", null);
        },
      },
    });
    const email = newAddress();
    await counted.members.invite({ organizationId: w.ownOrg, email, role: "VIEWER" });
    await expect(
      counted.members.invite({ organizationId: w.ownOrg, email, role: "VIEWER" }),
    ).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: "Too many attempts. Try again in 1 hour.",
    });
    expect(spent).toEqual([
      { email, origin: "192.0.2.10", accountId: w.people.OWNER.id },
      { email, origin: "192.0.2.10", accountId: w.people.OWNER.id },
    ]);
  });
});

describe("members.setRole, members.remove, members.transferOwnership and account.leaveOrganization", () => {
  it("let an owner change roles, hand over ownership and remove a member; the last owner stays", async () => {
    const fresh = await createDashboardWorld(t.db);
    const owner = fresh.as("OWNER");
    const org = fresh.ownOrg;
    const { OWNER, DEVELOPER, VIEWER } = fresh.people;
    await expect(
      owner.members.setRole({ organizationId: org, userId: OWNER.id, role: "VIEWER" }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(owner.members.remove({ organizationId: org, userId: OWNER.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(fresh.as("OWNER").account.leaveOrganization({ organizationId: org })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "You are the organization's last owner. Hand ownership to another member first.",
    });
    expect(
      await owner.members.setRole({ organizationId: org, userId: VIEWER.id, role: "DEVELOPER" }),
    ).toEqual({
      userId: VIEWER.id,
      role: "DEVELOPER",
    });
    await owner.members.transferOwnership({ organizationId: org, toUserId: DEVELOPER.id });
    expect([await roleIn(org, OWNER.id), await roleIn(org, DEVELOPER.id)]).toEqual(["DEVELOPER", "OWNER"]);
    // the former owner's session still says OWNER: the database decides
    await expect(owner.members.remove({ organizationId: org, userId: VIEWER.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await fresh
      .caller({ ...DEVELOPER, role: "OWNER" })
      .members.remove({ organizationId: org, userId: VIEWER.id });
    expect(await roleIn(org, VIEWER.id)).toBeNull();
    expect((await t.db.user.findUniqueOrThrow({ where: { id: VIEWER.id } })).organizationId).toBeNull();
    // admins may hand over an owner's ownership on their behalf
    await fresh
      .as("ADMIN")
      .members.transferOwnership({ organizationId: org, fromUserId: DEVELOPER.id, toUserId: OWNER.id });
    expect(await roleIn(org, OWNER.id)).toBe("OWNER");
    const actions = await t.db.auditEvent.findMany({
      where: { organizationId: org, action: { startsWith: "member." } },
      orderBy: { id: "asc" },
    });
    expect(actions.map((a) => a.action)).toEqual([
      "member.role.set",
      "member.ownership.transfer",
      "member.removed",
      "member.ownership.transfer",
    ]);
  });

  it("let a member leave an organization of theirs; admins have none to leave", async () => {
    const fresh = await createDashboardWorld(t.db);
    await fresh.as("VIEWER").account.leaveOrganization({ organizationId: fresh.ownOrg });
    expect(await roleIn(fresh.ownOrg, fresh.people.VIEWER.id)).toBeNull();
    await expect(
      fresh.as("DEVELOPER").account.leaveOrganization({ organizationId: fresh.otherOrg }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      fresh.as("ADMIN").account.leaveOrganization({ organizationId: fresh.ownOrg }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("are refused to developers and viewers", async () => {
    for (const role of ["DEVELOPER", "VIEWER", "COMPLIANCE"] as const) {
      await expect(
        w.as(role).members.setRole({ organizationId: w.ownOrg, userId: w.people.VIEWER.id, role: "OWNER" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        w.as(role).members.remove({ organizationId: w.ownOrg, userId: w.people.VIEWER.id }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        w.as(role).members.transferOwnership({ organizationId: w.ownOrg, toUserId: w.people.VIEWER.id }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await roleIn(w.ownOrg, w.people.VIEWER.id)).toBe("VIEWER");
  });
});
