import { authenticateWithPassword, findSessionUser, findUserByVerifiedEmail } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("users (People)", () => {
  it("an admin adds a developer with a password, who can then sign in", async () => {
    const admin = w.as("ADMIN");
    const created = await admin.users.create({
      email: "new.dev@example.com",
      name: "New Dev",
      role: "DEVELOPER",
      organizationId: w.ownOrg,
      password: "a fine password 42",
    });
    expect(created).toMatchObject({ role: "DEVELOPER", organizationId: w.ownOrg, hasPassword: true });
    expect(
      (await authenticateWithPassword(t, { email: "new.dev@example.com", password: "a fine password 42" }))
        .outcome,
    ).toBe("signed_in");
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: created.id } });
    expect(audit).toMatchObject({ action: "user.create", actorId: w.people.ADMIN.id });
  });

  it("invites a person without a password only when an identity provider can sign them in", async () => {
    const admin = w.as("ADMIN");
    const stranded = await admin.users
      .create({ email: "sso@example.com", role: "COMPLIANCE", password: "" })
      .catch((e) => e);
    expect(stranded).toMatchObject({ code: "BAD_REQUEST", cause: { param: "password" } });
    expect(stranded.message).toContain("No identity provider");
    const withSso = w.caller(w.people.ADMIN, { hasIdentityProvider: true });
    const invited = await withSso.users.create({
      email: "sso@example.com",
      role: "COMPLIANCE",
      password: "",
    });
    expect(invited.hasPassword).toBe(false);
    const error = await admin.users.create({ email: "dev@example.com", role: "DEVELOPER" }).catch((e) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect(JSON.stringify(error.cause?.issues)).toContain("organizationId");
    await expect(withSso.users.create({ email: "sso@example.com", role: "ADMIN" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("changes roles, deactivates and reactivates; lists with filters", async () => {
    const admin = w.as("ADMIN");
    const person = await admin.users.create({
      email: "mover@example.com",
      role: "DEVELOPER",
      organizationId: w.ownOrg,
      password: "a fine password 43",
    });
    expect(
      (await admin.users.setRole({ userId: person.id, role: "DEVELOPER", organizationId: w.otherOrg }))
        .organizationId,
    ).toBe(w.otherOrg);
    expect((await admin.users.deactivate({ userId: person.id })).isActive).toBe(false);
    expect((await admin.users.list({ search: "mover" })).items).toEqual([]);
    expect((await admin.users.list({ search: "mover", status: "all" })).items).toHaveLength(1);
    expect((await admin.users.reactivate({ userId: person.id })).isActive).toBe(true);
    const developers = await admin.users.list({ role: "DEVELOPER", organizationId: w.otherOrg });
    expect(developers.items.map((u) => u.email)).toEqual(["mover@example.com"]);
    await expect(admin.users.deactivate({ userId: w.people.ADMIN.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("an admin sets a password: the person's sessions end, and only their account answers until they choose their own", async () => {
    const admin = w.as("ADMIN");
    const person = await admin.users.create({
      email: "forgetful@example.com",
      role: "DEVELOPER",
      organizationId: w.ownOrg,
      password: "a first password 11",
    });
    const before = (await findUserByVerifiedEmail(t, { email: person.email }))?.credentialVersion ?? "";
    const mismatch = await admin.users
      .setPassword({
        userId: person.id,
        password: "set by the admin 1",
        confirmPassword: "set by an admin 1",
      })
      .catch((e) => e);
    expect(mismatch).toMatchObject({ code: "BAD_REQUEST" });
    expect(JSON.stringify(mismatch.cause?.issues)).toContain("The two passwords differ.");
    const set = await admin.users.setPassword({
      userId: person.id,
      password: "set by the admin 1",
      confirmPassword: "set by the admin 1",
    });
    expect(set).toMatchObject({ id: person.id, mustChangePassword: true, hasPassword: true });
    expect(await findSessionUser(t, { userId: person.id, credentialVersion: before })).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "user.password.set", targetId: person.id } })).toBe(
      1,
    );

    // signed in with the admin's password: only account.* answers, with a sentence that says why
    const signIn = await authenticateWithPassword(t, { email: person.email, password: "set by the admin 1" });
    if (signIn.outcome !== "signed_in") throw new Error("the admin's password does not sign in");
    const held = w.caller({
      id: person.id,
      role: "DEVELOPER",
      organizationId: w.ownOrg,
      mustChangePassword: signIn.user.mustChangePassword,
    });
    const refused = await held.apiKeys.list({ organizationId: w.ownOrg }).catch((e) => e);
    expect(refused).toMatchObject({ code: "FORBIDDEN" });
    expect(refused.message).toBe(
      "An administrator set your password. Choose your own under Account to continue.",
    );
    expect(await held.account.me()).toMatchObject({ id: person.id, mustChangePassword: true });
    await held.account.changePassword({
      currentPassword: "set by the admin 1",
      newPassword: "chosen by myself 2",
      confirmPassword: "chosen by myself 2",
    });
    const after = await authenticateWithPassword(t, { email: person.email, password: "chosen by myself 2" });
    expect(after).toMatchObject({ outcome: "signed_in", user: { mustChangePassword: false } });

    // never one's own (that needs the current password), never by another role
    await expect(
      admin.users.setPassword({
        userId: w.people.ADMIN.id,
        password: "set by the admin 1",
        confirmPassword: "set by the admin 1",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const role of ["COMPLIANCE", "DEVELOPER"] as const) {
      await expect(
        w.as(role).users.setPassword({
          userId: person.id,
          password: "set by the admin 1",
          confirmPassword: "set by the admin 1",
        }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("are managed by admins only", async () => {
    for (const role of ["COMPLIANCE", "DEVELOPER"] as const) {
      await expect(w.as(role).users.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        w.as(role).users.setRole({ userId: w.people.DEVELOPER.id, role: "ADMIN" }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await t.db.user.findUniqueOrThrow({ where: { id: w.people.DEVELOPER.id } })).role).toBe(
      "DEVELOPER",
    );
  });
});
