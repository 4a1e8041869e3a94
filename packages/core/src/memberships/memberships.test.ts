import { randomUUID } from "node:crypto";
import type { MemberRole } from "@dsc/vocabulary";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { linksIn, type SmtpInbox, startSmtpInbox } from "../../../../test/support/smtp-inbox.ts";
import { issueAccountToken } from "../account-tokens/account-tokens.ts";
import type { Actor } from "../audit/actor.ts";
import { cliActor } from "../audit/actor.ts";
import { requestAccountErasure } from "../compliance/request-account-erasure.ts";
import { requestDeletion } from "../compliance/request-deletion.ts";
import { createMemoryRateLimiter } from "../limits/memory-rate-limiter.ts";
import { createSmtpMailer, type SmtpMailer } from "../mail/mailer.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { listOrganizationMembers } from "../organizations/list-organization-members.ts";
import { ACCOUNT_LIMITS, createAccountThrottle } from "../signup/account-throttle.ts";
import { authenticateWithPassword } from "../users/authenticate-with-password.ts";
import { createUser } from "../users/create-user.ts";
import { lockOrganizationsMembers } from "../users/organization-owners.ts";
import { setUserRole } from "../users/set-user-role.ts";
import { acceptInvitation } from "./accept-invitation.ts";
import { type InviteMemberDeps, inviteMember } from "./invite-member.ts";
import { leaveOrganization } from "./leave-organization.ts";
import { listInvitations } from "./list-invitations.ts";
import { previewInvitation } from "./preview-invitation.ts";
import { removeMember } from "./remove-member.ts";
import { revokeInvitation } from "./revoke-invitation.ts";
import { setMemberRole } from "./set-member-role.ts";
import { transferOwnership } from "./transfer-ownership.ts";

const STRONG = "correct horse battery staple 93";
const DAY = 24 * 60 * 60 * 1000;
let t: TestDatabase;
const clock = fakeClock();
const deps = () => ({ db: t.db, clock, signup: "invite" as const });
/** a throttle of its own per call unless a test shares one: only the throttle's test counts */
const inviteDeps = (overrides: Partial<InviteMemberDeps> = {}): InviteMemberDeps => ({
  ...deps(),
  mailer: null,
  dashboardUrl: "https://dashboard.example.test/",
  throttle: createAccountThrottle(createMemoryRateLimiter({ clock })),
  ...overrides,
});
const actorOf = (id: string): Actor => ({ type: "USER", id, origin: "192.0.2.1" });
const address = (who: string) => `${who}-${randomUUID().slice(0, 8)}@example.test`;
/** The list's item at an index, which the test knows is there. */
function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}
const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, "");

beforeAll(async () => {
  t = await createTestDatabase();
});

/** An organization with one person of each given role, and an admin of the platform. */
async function team(roles: MemberRole[] = ["OWNER", "DEVELOPER", "VIEWER"]) {
  const org = await createOrganization(deps(), {
    name: `Team ${randomUUID().slice(0, 6)}`,
    tier: "free",
    actor: cliActor(),
  });
  const members: { id: string; email: string; role: MemberRole }[] = [];
  for (const role of roles) {
    const email = address(role.toLowerCase());
    const user = await createUser(deps(), {
      email,
      role: "DEVELOPER",
      organizationId: org.id,
      memberRole: role,
      password: "a test password 123",
      actor: cliActor(),
    });
    members.push({ id: user.id, email, role });
  }
  const admin = await createUser(deps(), {
    email: address("admin"),
    role: "ADMIN",
    password: "a test password 123",
    actor: cliActor(),
  });
  return { org: org.id, orgName: org.name, members, admin: admin.id };
}

async function roleIn(organizationId: string, userId: string) {
  return (
    (await t.db.membership.findUnique({ where: { organizationId_userId: { organizationId, userId } } }))
      ?.role ?? null
  );
}

describe("inviting and accepting", () => {
  it("an owner invites a new address; the link, shown once, creates a verified account that works in the organization", async () => {
    const { org, orgName, members } = await team(["OWNER"]);
    const owner = at(members, 0);
    const email = address("New.Person");
    const sent = await inviteMember(inviteDeps(), {
      organizationId: org,
      email: ` ${email.toUpperCase()} `,
      role: "VIEWER",
      actor: actorOf(owner.id),
      actorRole: "OWNER",
    });
    expect(sent).toMatchObject({
      emailed: false,
      link: expect.stringMatching(/^https:\/\/dashboard\.example\.test\/invite#token=[\w-]{43}$/),
    });
    const token = tokenOf(sent.link ?? "");
    expect(await previewInvitation(deps(), { token })).toMatchObject({
      organizationName: orgName,
      email: email.toLowerCase(),
      role: "VIEWER",
      accountExists: false,
      expiresAt: new Date(clock.now().getTime() + 7 * DAY),
    });
    expect(await listInvitations(deps(), { organizationId: org })).toMatchObject([
      { id: sent.invitationId, email: email.toLowerCase(), role: "VIEWER", invitedBy: owner.email },
    ]);

    await expect(
      acceptInvitation(deps(), {
        token,
        signedInUserId: null,
        newAccount: { password: "password1234" },
        origin: "192.0.2.9",
      }),
    ).rejects.toMatchObject({ code: "invalid", param: "password" });
    await expect(
      acceptInvitation(deps(), { token, signedInUserId: null, origin: "192.0.2.9" }),
    ).rejects.toMatchObject({
      code: "invalid",
      param: "password",
    });
    const accepted = await acceptInvitation(deps(), {
      token,
      signedInUserId: null,
      newAccount: { name: " New Person ", password: STRONG },
      origin: "192.0.2.9",
    });
    expect(accepted).toMatchObject({ organizationId: org, role: "VIEWER", accountCreated: true });
    const user = await t.db.user.findUniqueOrThrow({ where: { id: accepted.userId } });
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      name: "New Person",
      role: "DEVELOPER",
      organizationId: org,
    });
    expect(user.emailVerified).toEqual(clock.now());
    expect(await roleIn(org, user.id)).toBe("VIEWER");
    expect((await authenticateWithPassword(deps(), { email, password: STRONG })).outcome).toBe("signed_in");

    // the link worked once
    await expect(previewInvitation(deps(), { token })).rejects.toMatchObject({
      code: "not_found",
      message: "This invitation has expired or was already used.",
    });
    await expect(
      acceptInvitation(deps(), { token, signedInUserId: user.id, origin: "192.0.2.9" }),
    ).rejects.toMatchObject({ message: "This invitation has expired or was already used." });
    expect(await listInvitations(deps(), { organizationId: org })).toEqual([]);

    const audits = await t.db.auditEvent.findMany({
      where: { organizationId: org, action: { startsWith: "member." } },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => [a.action, a.actorId])).toEqual([
      ["member.invited", owner.id],
      ["member.joined", user.id],
    ]);
    // the trail outlives an erasure: no address in it
    for (const audit of audits)
      expect(JSON.stringify(audit.metadata)).not.toContain(email.toLowerCase().split("@")[0]);
  });

  it("an e-mailed invitation's link arrives in the inbox, and the signed-in person it names joins and works there now", async () => {
    const inbox: SmtpInbox = await startSmtpInbox();
    const mailer: SmtpMailer = createSmtpMailer({
      smtpUrl: inbox.url,
      from: "Platform <noreply@example.test>",
    });
    try {
      const { org, orgName, members } = await team(["OWNER"]);
      const elsewhere = await team(["DEVELOPER"]);
      const person = at(elsewhere.members, 0);
      const sent = await inviteMember(inviteDeps({ mailer }), {
        organizationId: org,
        email: person.email,
        role: "DEVELOPER",
        actor: actorOf(at(members, 0).id),
        actorRole: "OWNER",
      });
      expect(sent).toMatchObject({ emailed: true, link: null });
      const mail = await inbox.waitForMessage((m) => m.envelope.to.includes(person.email));
      expect(mail.subject).toContain(orgName);
      const link = linksIn(mail).find((l) => l.includes("/invite#token="));
      expect(link).toMatch(/^https:\/\/dashboard\.example\.test\/invite#token=[\w-]{43}$/);
      const token = tokenOf(link ?? "");
      expect((await previewInvitation(deps(), { token })).accountExists).toBe(true);
      // signed out, an existing account must sign in first
      await expect(
        acceptInvitation(deps(), {
          token,
          signedInUserId: null,
          newAccount: { password: STRONG },
          origin: "x",
        }),
      ).rejects.toMatchObject({ code: "forbidden", message: `Sign in as ${person.email} to accept.` });

      const accepted = await acceptInvitation(deps(), {
        token,
        signedInUserId: person.id,
        origin: "192.0.2.9",
      });
      expect(accepted).toMatchObject({ accountCreated: false, organizationId: org, role: "DEVELOPER" });
      expect((await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).organizationId).toBe(org);
      expect(await roleIn(elsewhere.org, person.id)).toBe("DEVELOPER");
      const listed = await listOrganizationMembers(deps(), { organizationId: org });
      expect(listed.map((m) => [m.id, m.memberRole])).toEqual(
        expect.arrayContaining([
          [at(members, 0).id, "OWNER"],
          [person.id, "DEVELOPER"],
        ]),
      );
    } finally {
      mailer.close();
      await inbox.close();
    }
  });

  it("refuses the wrong signed-in person, platform roles, and an existing member", async () => {
    const { org, members, admin } = await team(["OWNER", "DEVELOPER"]);
    const [owner, developer] = members as [(typeof members)[0], (typeof members)[0]];
    const stranger = at((await team(["VIEWER"])).members, 0);
    const sent = await inviteMember(inviteDeps(), {
      organizationId: org,
      email: stranger.email,
      role: "VIEWER",
      actor: actorOf(owner.id),
      actorRole: "OWNER",
    });
    const token = tokenOf(sent.link ?? "");
    await expect(
      acceptInvitation(deps(), { token, signedInUserId: developer.id, origin: "x" }),
    ).rejects.toMatchObject({
      code: "forbidden",
      message: "This invitation is for another address; sign in as that person to accept it.",
    });
    // refused without using the link up
    expect((await previewInvitation(deps(), { token })).email).toBe(stranger.email);

    await expect(
      inviteMember(inviteDeps(), {
        organizationId: org,
        email: developer.email,
        role: "OWNER",
        actor: actorOf(owner.id),
        actorRole: "OWNER",
      }),
    ).rejects.toMatchObject({ code: "conflict", param: "email" });
    const adminRow = await t.db.user.findUniqueOrThrow({ where: { id: admin } });
    // an admin's address is invited like anyone's, so that owners cannot tell who the
    // platform's administrators are; accepting refuses them
    const forAdmin = await inviteMember(inviteDeps(), {
      organizationId: org,
      email: adminRow.email,
      role: "VIEWER",
      actor: actorOf(owner.id),
      actorRole: "OWNER",
    });
    const unknown = await inviteMember(inviteDeps(), {
      organizationId: org,
      email: address("nobody"),
      role: "VIEWER",
      actor: actorOf(owner.id),
      actorRole: "OWNER",
    });
    expect(Object.keys(forAdmin).sort()).toEqual(Object.keys(unknown).sort());
    expect(forAdmin.emailed).toBe(unknown.emailed);
    await expect(
      acceptInvitation(deps(), { token: tokenOf(forAdmin.link ?? ""), signedInUserId: null, origin: "x" }),
    ).rejects.toMatchObject({ code: "forbidden", message: `Sign in as ${adminRow.email} to accept.` });
    await expect(
      acceptInvitation(deps(), { token: tokenOf(forAdmin.link ?? ""), signedInUserId: admin, origin: "x" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    expect(await roleIn(org, admin)).toBeNull();
  });

  it("refuses an expired link, and a replaced or revoked one", async () => {
    const { org, members } = await team(["OWNER"]);
    const owner = at(members, 0);
    const email = address("late");
    const invite = () =>
      inviteMember(inviteDeps(), {
        organizationId: org,
        email,
        role: "DEVELOPER",
        actor: actorOf(owner.id),
        actorRole: "OWNER",
      });
    const first = await invite();
    const second = await invite();
    await expect(previewInvitation(deps(), { token: tokenOf(first.link ?? "") })).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await listInvitations(deps(), { organizationId: org })).toHaveLength(1);

    clock.advance(7 * DAY + 1);
    try {
      await expect(
        acceptInvitation(deps(), {
          token: tokenOf(second.link ?? ""),
          signedInUserId: null,
          newAccount: { password: STRONG },
          origin: "x",
        }),
      ).rejects.toMatchObject({
        code: "not_found",
        message: "This invitation has expired or was already used.",
      });
      expect(await listInvitations(deps(), { organizationId: org })).toEqual([]);
    } finally {
      clock.advance(-(7 * DAY + 1));
    }

    await revokeInvitation(deps(), {
      organizationId: org,
      invitationId: second.invitationId,
      actor: actorOf(owner.id),
      actorRole: "OWNER",
    });
    await expect(previewInvitation(deps(), { token: tokenOf(second.link ?? "") })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(
      revokeInvitation(deps(), {
        organizationId: org,
        invitationId: second.invitationId,
        actor: actorOf(owner.id),
        actorRole: "OWNER",
      }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      acceptInvitation(deps(), { token: "not-a-token", signedInUserId: null, origin: "x" }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("lets only owners and admins invite; with SIGNUP=closed an owner's invitation of an address without an account is sent, and refused when accepted", async () => {
    const { org, members, admin } = await team(["OWNER", "DEVELOPER"]);
    const [owner, developer] = members as [(typeof members)[0], (typeof members)[0]];
    const closed = inviteDeps();
    await expect(
      inviteMember(inviteDeps(), {
        organizationId: org,
        email: address("x"),
        role: "VIEWER",
        actor: actorOf(developer.id),
        actorRole: "DEVELOPER",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    // a session claiming OWNER is checked against the database
    await expect(
      inviteMember(inviteDeps(), {
        organizationId: org,
        email: address("x"),
        role: "VIEWER",
        actor: actorOf(developer.id),
        actorRole: "OWNER",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    // inviting tells the owner nothing about which addresses have accounts
    const newcomer = await inviteMember(closed, {
      organizationId: org,
      email: address("x"),
      role: "VIEWER",
      actor: actorOf(owner.id),
      actorRole: "OWNER",
    });
    expect(newcomer.emailed).toBe(false);
    const closedDeps = { ...deps(), signup: "closed" as const };
    await expect(
      acceptInvitation(closedDeps, {
        token: tokenOf(newcomer.link ?? ""),
        signedInUserId: null,
        newAccount: { password: STRONG },
        origin: "x",
      }),
    ).rejects.toMatchObject({
      code: "forbidden",
      message: "This platform does not take new accounts; ask an administrator.",
    });
    // still pending: an admin may create the account, and the person then accepts signed in
    await expect(previewInvitation(deps(), { token: tokenOf(newcomer.link ?? "") })).resolves.toBeTruthy();
    const existing = at((await team(["VIEWER"])).members, 0);
    await expect(
      inviteMember(closed, {
        organizationId: org,
        email: existing.email,
        role: "VIEWER",
        actor: actorOf(owner.id),
        actorRole: "OWNER",
      }),
    ).resolves.toMatchObject({ emailed: false });
    // an admin's invitation makes a new account even under SIGNUP=closed
    const byAdmin = await inviteMember(closed, {
      organizationId: org,
      email: address("y"),
      role: "OWNER",
      actor: actorOf(admin),
      actorRole: "ADMIN",
    });
    await expect(
      acceptInvitation(closedDeps, {
        token: tokenOf(byAdmin.link ?? ""),
        signedInUserId: null,
        newAccount: { password: STRONG },
        origin: "x",
      }),
    ).resolves.toMatchObject({ accountCreated: true, role: "OWNER" });
    await expect(
      inviteMember(inviteDeps(), {
        organizationId: "org_missing",
        email: address("z"),
        role: "VIEWER",
        actor: actorOf(admin),
        actorRole: "ADMIN",
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("the invitations' throttle", () => {
  it("counts invitations per invited address and per inviter, and refuses past the budget", async () => {
    const { org, members } = await team(["OWNER"]);
    const owner = at(members, 0);
    const throttled = inviteDeps({ throttle: createAccountThrottle(createMemoryRateLimiter({ clock })) });
    const invite = (email: string) =>
      inviteMember(throttled, {
        organizationId: org,
        email,
        role: "VIEWER",
        actor: actorOf(owner.id),
        actorRole: "OWNER",
      });
    const target = address("target");
    for (let i = 0; i < ACCOUNT_LIMITS.perEmail.limit; i++) await invite(target);
    await expect(invite(target)).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/^Too many attempts\. Try again in /),
    });
    // other addresses, from other clients, until the inviter's own budget is spent
    const other = inviteDeps({ throttle: throttled.throttle });
    const fromElsewhere = (email: string, i: number) =>
      inviteMember(other, {
        organizationId: org,
        email,
        role: "VIEWER",
        actor: { type: "USER", id: owner.id, origin: `198.51.${i}.1` },
        actorRole: "OWNER",
      });
    let sent = ACCOUNT_LIMITS.perEmail.limit;
    let refused: unknown = null;
    for (let i = 0; i < ACCOUNT_LIMITS.perAccount.limit && refused === null; i++) {
      await fromElsewhere(address(`many${i}`), i).then(
        () => {
          sent += 1;
        },
        (error: unknown) => {
          refused = error;
        },
      );
    }
    expect(sent).toBe(ACCOUNT_LIMITS.perAccount.limit);
    expect(refused).toMatchObject({ code: "rate_limited" });
    // an hour later the budgets are back
    clock.advance(DAY);
    await expect(invite(target)).resolves.toMatchObject({ emailed: false });
  });
});

describe("roles, removal, ownership and leaving", () => {
  it("keeps the last owner: no demotion, no removal, no leaving", async () => {
    const { org, members, admin } = await team(["OWNER", "DEVELOPER"]);
    const [owner, developer] = members as [(typeof members)[0], (typeof members)[0]];
    await expect(
      setMemberRole(deps(), {
        organizationId: org,
        userId: owner.id,
        role: "VIEWER",
        actor: actorOf(admin),
        actorRole: "ADMIN",
      }),
    ).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("last owner") });
    await expect(
      removeMember(deps(), {
        organizationId: org,
        userId: owner.id,
        actor: actorOf(admin),
        actorRole: "ADMIN",
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      leaveOrganization(deps(), { organizationId: org, userId: owner.id, actor: actorOf(owner.id) }),
    ).rejects.toMatchObject({
      code: "conflict",
      message: "You are the organization's last owner. Hand ownership to another member first.",
    });
    await expect(
      setMemberRole(deps(), {
        organizationId: org,
        userId: owner.id,
        role: "VIEWER",
        actor: actorOf(developer.id),
        actorRole: "DEVELOPER",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });

    await setMemberRole(deps(), {
      organizationId: org,
      userId: developer.id,
      role: "OWNER",
      actor: actorOf(owner.id),
      actorRole: "OWNER",
    });
    await leaveOrganization(deps(), { organizationId: org, userId: owner.id, actor: actorOf(owner.id) });
    expect(await roleIn(org, owner.id)).toBeNull();
    const left = await t.db.user.findUniqueOrThrow({ where: { id: owner.id } });
    expect(left.organizationId).toBeNull();
    const audit = await t.db.auditEvent.findMany({
      where: { organizationId: org, action: { in: ["member.role.set", "member.left"] } },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.action, a.targetId, a.metadata])).toEqual([
      ["member.role.set", developer.id, { from: "DEVELOPER", to: "OWNER" }],
      ["member.left", owner.id, { role: "OWNER" }],
    ]);
  });

  it("transfers ownership: the receiver owns, the giver becomes a developer; only an owner gives, or an admin for one", async () => {
    const { org, members, admin } = await team(["OWNER", "DEVELOPER", "VIEWER"]);
    const [owner, developer, viewer] = members as [
      (typeof members)[0],
      (typeof members)[0],
      (typeof members)[0],
    ];
    await expect(
      transferOwnership(deps(), {
        organizationId: org,
        toUserId: viewer.id,
        actor: actorOf(developer.id),
        actorRole: "DEVELOPER",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      transferOwnership(deps(), {
        organizationId: org,
        toUserId: "usr_nobody",
        actor: actorOf(owner.id),
        actorRole: "OWNER",
      }),
    ).rejects.toMatchObject({ code: "not_found", param: "toUserId" });
    await transferOwnership(deps(), {
      organizationId: org,
      toUserId: viewer.id,
      actor: actorOf(owner.id),
      actorRole: "OWNER",
    });
    expect([await roleIn(org, owner.id), await roleIn(org, viewer.id)]).toEqual(["DEVELOPER", "OWNER"]);
    await expect(
      transferOwnership(deps(), {
        organizationId: org,
        fromUserId: viewer.id,
        toUserId: owner.id,
        actor: actorOf(developer.id),
        actorRole: "DEVELOPER",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
    await transferOwnership(deps(), {
      organizationId: org,
      fromUserId: viewer.id,
      toUserId: developer.id,
      actor: actorOf(admin),
      actorRole: "ADMIN",
    });
    expect([await roleIn(org, viewer.id), await roleIn(org, developer.id)]).toEqual(["DEVELOPER", "OWNER"]);
  });

  it("removing a member moves the organization they work in to another of theirs, or to none", async () => {
    const a = await team(["OWNER", "DEVELOPER"]);
    const b = await team(["OWNER"]);
    const person = at(a.members, 1);
    const sent = await inviteMember(inviteDeps(), {
      organizationId: b.org,
      email: person.email,
      role: "VIEWER",
      actor: actorOf(at(b.members, 0).id),
      actorRole: "OWNER",
    });
    await acceptInvitation(deps(), {
      token: tokenOf(sent.link ?? ""),
      signedInUserId: person.id,
      origin: "x",
    });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).organizationId).toBe(b.org);
    await removeMember(deps(), {
      organizationId: b.org,
      userId: person.id,
      actor: actorOf(at(b.members, 0).id),
      actorRole: "OWNER",
    });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).organizationId).toBe(a.org);
    // removing from an organization they do not work in now leaves their current one alone
    await removeMember(deps(), {
      organizationId: a.org,
      userId: person.id,
      actor: actorOf(a.admin),
      actorRole: "ADMIN",
    });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).organizationId).toBeNull();
    await expect(
      removeMember(deps(), {
        organizationId: a.org,
        userId: person.id,
        actor: actorOf(a.admin),
        actorRole: "ADMIN",
      }),
    ).rejects.toMatchObject({ code: "not_found" });
    // an owner of one organization manages no other
    await expect(
      removeMember(deps(), {
        organizationId: a.org,
        userId: at(a.members, 0).id,
        actor: actorOf(at(b.members, 0).id),
        actorRole: "OWNER",
      }),
    ).rejects.toMatchObject({ code: "forbidden" });
  });

  it("two owners demoting each other at the same moment leave exactly one owner", async () => {
    for (let round = 0; round < 5; round += 1) {
      const { org, members } = await team(["OWNER", "OWNER"]);
      const [first, second] = members as [(typeof members)[0], (typeof members)[0]];
      const results = await Promise.allSettled([
        setMemberRole(deps(), {
          organizationId: org,
          userId: second.id,
          role: "VIEWER",
          actor: actorOf(first.id),
          actorRole: "OWNER",
        }),
        setMemberRole(deps(), {
          organizationId: org,
          userId: first.id,
          role: "VIEWER",
          actor: actorOf(second.id),
          actorRole: "OWNER",
        }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "forbidden" } });
      expect(await t.db.membership.count({ where: { organizationId: org, role: "OWNER" } })).toBe(1);
    }
  });

  it("two owners leaving at the same moment leave exactly one owner", async () => {
    const { org, members } = await team(["OWNER", "OWNER"]);
    const results = await Promise.allSettled(
      members.map((m) =>
        leaveOrganization(deps(), { organizationId: org, userId: m.id, actor: actorOf(m.id) }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await t.db.membership.count({ where: { organizationId: org, role: "OWNER" } })).toBe(1);
  });
});

describe("organizations and people on their way out", () => {
  it("opening an organization's erasure ends its invitations, and nobody is invited into it or joins it after", async () => {
    const { org, members } = await team(["OWNER", "DEVELOPER"]);
    const owner = at(members, 0);
    const sent = await inviteMember(inviteDeps(), {
      organizationId: org,
      email: address("invitee"),
      role: "DEVELOPER",
      actor: actorOf(owner.id),
      actorRole: "OWNER",
    });
    await requestDeletion(deps(), {
      organizationId: org,
      subjectType: "ORGANIZATION",
      subjectId: org,
      actor: cliActor(),
    });
    expect(await t.db.accountToken.count({ where: { organizationId: org, purpose: "INVITATION" } })).toBe(0);
    await expect(
      acceptInvitation(deps(), {
        token: tokenOf(sent.link ?? ""),
        signedInUserId: null,
        newAccount: { password: STRONG },
        origin: "192.0.2.9",
      }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      inviteMember(inviteDeps(), {
        organizationId: org,
        email: address("late"),
        role: "VIEWER",
        actor: actorOf(owner.id),
        actorRole: "OWNER",
      }),
    ).rejects.toMatchObject({ code: "conflict", message: "This organization is being deleted." });
    // a link that slipped past the erasure's opening (issued in the same instant) is refused too
    const raced = await t.db.$transaction((tx) =>
      issueAccountToken(tx, clock, {
        purpose: "INVITATION",
        email: address("raced"),
        organizationId: org,
        memberRole: "VIEWER",
        createdById: owner.id,
      }),
    );
    await expect(
      acceptInvitation(deps(), {
        token: raced.token,
        signedInUserId: null,
        newAccount: { password: STRONG },
        origin: "192.0.2.9",
      }),
    ).rejects.toMatchObject({ code: "conflict", message: "This organization is being deleted." });
    expect(await t.db.membership.count({ where: { organizationId: org } })).toBe(2);
  });

  it("never makes an owner of a member whose account's erasure is pending, or who is deactivated", async () => {
    const { org, members, admin } = await team(["OWNER", "DEVELOPER", "VIEWER", "VIEWER"]);
    const owner = at(members, 0);
    const leaving = at(members, 1);
    const dormant = at(members, 2);
    const staying = at(members, 3);
    await requestAccountErasure(deps(), {
      userId: leaving.id,
      confirmEmail: leaving.email,
      actor: actorOf(leaving.id),
    });
    await t.db.user.update({ where: { id: dormant.id }, data: { deactivatedAt: clock.now() } });

    await expect(
      transferOwnership(deps(), {
        organizationId: org,
        toUserId: leaving.id,
        actor: actorOf(owner.id),
        actorRole: "OWNER",
      }),
    ).rejects.toMatchObject({
      code: "invalid",
      message: expect.stringContaining("is deleting their account"),
    });
    await expect(
      transferOwnership(deps(), {
        organizationId: org,
        toUserId: dormant.id,
        actor: actorOf(owner.id),
        actorRole: "OWNER",
      }),
    ).rejects.toMatchObject({ code: "invalid", message: expect.stringContaining("is deactivated") });
    for (const userId of [leaving.id, dormant.id]) {
      await expect(
        setMemberRole(deps(), {
          organizationId: org,
          userId,
          role: "OWNER",
          actor: actorOf(owner.id),
          actorRole: "OWNER",
        }),
      ).rejects.toMatchObject({ code: "invalid", param: "userId" });
      await expect(
        setUserRole(deps(), {
          userId,
          role: "DEVELOPER",
          organizationId: org,
          memberRole: "OWNER",
          actor: actorOf(admin),
        }),
      ).rejects.toMatchObject({ code: "invalid", param: "memberRole" });
    }
    // the owner still cannot leave: nobody who can run the organization would own it
    await expect(
      leaveOrganization(deps(), { userId: owner.id, organizationId: org, actor: actorOf(owner.id) }),
    ).rejects.toMatchObject({ code: "conflict" });
    // a member who stays can be made owner, and the refusals changed nothing
    await setMemberRole(deps(), {
      organizationId: org,
      userId: staying.id,
      role: "OWNER",
      actor: actorOf(owner.id),
      actorRole: "OWNER",
    });
    expect([
      await roleIn(org, leaving.id),
      await roleIn(org, dormant.id),
      await roleIn(org, staying.id),
    ]).toEqual(["DEVELOPER", "VIEWER", "OWNER"]);
  });

  it("two transactions locking organizations whose lock keys collide cannot wait on each other", async () => {
    // two ids whose member-lock keys hash alike: locked in the ids' order, [a, b] and [b, c]
    // would take the keys in opposite orders and deadlock
    const [collision] = await t.db.$queryRaw<{ ids: string[] }[]>`
      SELECT array_agg(id ORDER BY id) AS ids
      FROM (SELECT 'org_' || i AS id FROM generate_series(1, 300000) AS i) AS candidates
      GROUP BY hashtext('dsc_members:' || id) HAVING count(*) > 1 LIMIT 1`;
    const [a, c] = collision?.ids ?? [];
    if (!a || !c) throw new Error("no colliding lock keys found");
    // between them in the ids' order, which is how the locks were once taken
    const b = `${a}0`;
    expect(a < b && b < c).toBe(true);
    for (let round = 0; round < 5; round += 1) {
      await Promise.all(
        [
          [a, b],
          [b, c],
        ].map((ids) =>
          t.db.$transaction(async (tx) => {
            await lockOrganizationsMembers(tx, ids);
            await tx.$executeRaw`SELECT pg_sleep(0.05)`;
          }),
        ),
      );
    }
  });
});
