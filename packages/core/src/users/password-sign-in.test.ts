import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import type { Actor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { authenticateWithPassword } from "./authenticate-with-password.ts";
import { changePassword } from "./change-password.ts";
import { createUser } from "./create-user.ts";
import { credentialVersion } from "./credential-version.ts";
import { deactivateUser } from "./deactivate-user.ts";
import { findSessionUser } from "./find-session-user.ts";
import { findUserByVerifiedEmail } from "./find-user-by-verified-email.ts";
import { recordSignIn } from "./record-sign-in.ts";
import { setUserRole } from "./set-user-role.ts";

let t: TestDatabase;
const clock = fakeClock();
const deps = () => ({ db: t.db, clock });
const system: Actor = { type: "SYSTEM", id: "test", origin: "cli" };
let orgId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  orgId = (await createOrganization(deps(), { name: "Sign-in Co", tier: "free", actor: system })).id;
});

async function person(password: string | null = "initial password 1") {
  const email = `p-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const user = await createUser(deps(), {
    email,
    role: "DEVELOPER",
    organizationId: orgId,
    password,
    actor: system,
  });
  return { ...user, actor: { type: "USER", id: user.id, origin: "198.51.100.4" } as Actor };
}

describe("authenticateWithPassword", () => {
  it("signs in with the right password, case-insensitively by e-mail", async () => {
    const user = await person();
    const result = await authenticateWithPassword(deps(), {
      email: ` ${user.email.toUpperCase()}`,
      password: "initial password 1",
    });
    expect(result).toMatchObject({
      outcome: "signed_in",
      user: { id: user.id, role: "DEVELOPER", organizationId: orgId },
    });
  });

  it("refuses a wrong password, an unknown address and a password-less account alike", async () => {
    const user = await person();
    const invited = await person(null);
    for (const attempt of [
      { email: user.email, password: "wrong password 1" },
      { email: "nobody@example.com", password: "initial password 1" },
      { email: invited.email, password: "" },
      { email: user.email, password: "x".repeat(500) },
    ]) {
      expect(await authenticateWithPassword(deps(), attempt)).toEqual({ outcome: "invalid" });
    }
  });

  it("names a deactivated account only after its correct password", async () => {
    const user = await person();
    await deactivateUser(deps(), { userId: user.id, actor: system });
    expect(await authenticateWithPassword(deps(), { email: user.email, password: "nope nope nope" })).toEqual(
      {
        outcome: "invalid",
      },
    );
    expect(
      await authenticateWithPassword(deps(), { email: user.email, password: "initial password 1" }),
    ).toEqual({
      outcome: "deactivated",
    });
  });
});

describe("findSessionUser", () => {
  it("reads role and organization fresh, and ends sessions of deactivated people", async () => {
    const user = await person();
    const signIn = await authenticateWithPassword(deps(), {
      email: user.email,
      password: "initial password 1",
    });
    if (signIn.outcome !== "signed_in") throw new Error("expected a sign-in");
    const session = { userId: user.id, credentialVersion: signIn.user.credentialVersion };
    expect(await findSessionUser(deps(), session)).toMatchObject({ role: "DEVELOPER" });
    await setUserRole(deps(), { userId: user.id, role: "COMPLIANCE", actor: system });
    expect(await findSessionUser(deps(), session)).toMatchObject({
      role: "COMPLIANCE",
      organizationId: null,
    });
    await deactivateUser(deps(), { userId: user.id, actor: system });
    expect(await findSessionUser(deps(), session)).toBeNull();
    expect(await findSessionUser(deps(), { ...session, userId: "usr_missing" })).toBeNull();
  });
});

describe("changePassword", () => {
  it("needs the current password, replaces the hash and ends older sessions", async () => {
    const user = await person();
    const before = await authenticateWithPassword(deps(), {
      email: user.email,
      password: "initial password 1",
    });
    if (before.outcome !== "signed_in") throw new Error("expected a sign-in");

    await expect(
      changePassword(deps(), {
        userId: user.id,
        currentPassword: "not the password",
        newPassword: "brand new password",
        actor: user.actor,
      }),
    ).rejects.toMatchObject({ code: "invalid", param: "currentPassword" });
    await expect(
      changePassword(deps(), {
        userId: user.id,
        currentPassword: "initial password 1",
        newPassword: "short",
        actor: user.actor,
      }),
    ).rejects.toMatchObject({ code: "invalid", param: "newPassword" });

    const { credentialVersion } = await changePassword(deps(), {
      userId: user.id,
      currentPassword: "initial password 1",
      newPassword: "brand new password",
      actor: user.actor,
    });
    expect(credentialVersion).not.toBe(before.user.credentialVersion);
    expect(
      await findSessionUser(deps(), { userId: user.id, credentialVersion: before.user.credentialVersion }),
    ).toBeNull();
    expect(await findSessionUser(deps(), { userId: user.id, credentialVersion })).not.toBeNull();
    expect(
      await authenticateWithPassword(deps(), { email: user.email, password: "initial password 1" }),
    ).toEqual({
      outcome: "invalid",
    });
    expect(
      (await authenticateWithPassword(deps(), { email: user.email, password: "brand new password" })).outcome,
    ).toBe("signed_in");
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: user.id, action: "user.password.change" },
    });
    expect(audit).toMatchObject({ actorId: user.id, origin: "198.51.100.4" });
  });

  it("refuses people who sign in through an identity provider", async () => {
    const invited = await person(null);
    await expect(
      changePassword(deps(), {
        userId: invited.id,
        currentPassword: "",
        newPassword: "brand new password",
        actor: invited.actor,
      }),
    ).rejects.toMatchObject({ code: "invalid", param: "currentPassword" });
  });
});

describe("findUserByVerifiedEmail and recordSignIn", () => {
  it("finds only active invited people, and audits a sign-in", async () => {
    const invited = await person(null);
    expect(await findUserByVerifiedEmail(deps(), { email: invited.email.toUpperCase() })).toMatchObject({
      id: invited.id,
      credentialVersion: credentialVersion({ passwordHash: null, sessionEpoch: 0 }),
    });
    expect(await findUserByVerifiedEmail(deps(), { email: "stranger@example.com" })).toBeNull();
    await recordSignIn(deps(), {
      userId: invited.id,
      organizationId: orgId,
      method: "github",
      origin: "192.0.2.1",
    });
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: invited.id, action: "user.sign_in" },
    });
    expect(audit).toMatchObject({ actorType: "USER", origin: "192.0.2.1", metadata: { method: "github" } });
    await deactivateUser(deps(), { userId: invited.id, actor: system });
    expect(await findUserByVerifiedEmail(deps(), { email: invited.email })).toBeNull();
  });
});
