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

describe("account", () => {
  it("me tells every role who they are", async () => {
    for (const role of ["ADMIN", "COMPLIANCE", "DEVELOPER"] as const) {
      expect(await w.as(role).account.me()).toMatchObject({ id: w.people[role].id, role, hasPassword: true });
    }
  });

  it("changePassword needs the current password and a confirmed new one", async () => {
    const dev = w.as("DEVELOPER");
    const me = await dev.account.me();
    await expect(
      dev.account.changePassword({
        currentPassword: "a test password 123",
        newPassword: "another password 456",
        confirmPassword: "a typo password 456",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const wrong = await dev.account
      .changePassword({
        currentPassword: "not my password",
        newPassword: "another password 456",
        confirmPassword: "another password 456",
      })
      .catch((e) => e);
    expect(wrong).toMatchObject({ code: "BAD_REQUEST", cause: { param: "currentPassword" } });
    await dev.account.changePassword({
      currentPassword: "a test password 123",
      newPassword: "another password 456",
      confirmPassword: "another password 456",
    });
    expect(
      (await authenticateWithPassword(t, { email: me.email, password: "another password 456" })).outcome,
    ).toBe("signed_in");
  });

  it("signOutEverywhere ends every session of the caller, for every role", async () => {
    for (const role of ["ADMIN", "COMPLIANCE", "DEVELOPER"] as const) {
      const { id } = w.people[role];
      const { email } = await t.db.user.findUniqueOrThrow({ where: { id } });
      const before = (await findUserByVerifiedEmail(t, { email }))?.credentialVersion ?? "";
      expect(await findSessionUser(t, { userId: id, credentialVersion: before })).not.toBeNull();
      expect(await w.as(role).account.signOutEverywhere()).toEqual({ signedOut: true });
      expect(await findSessionUser(t, { userId: id, credentialVersion: before })).toBeNull();
    }
  });
});
