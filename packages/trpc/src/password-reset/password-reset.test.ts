import { cliActor, createUser, EXPIRED_RESET_LINK_MESSAGE, findSessionUser, systemClock } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import type { AccountsSettings } from "../context.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";
import { type MailedAccounts, startMailedAccounts } from "../testing/mailed-accounts.ts";

let t: TestDatabase;
let w: DashboardWorld;
let mail: MailedAccounts;
const NEW_PASSWORD = "violet tractor lantern meadow";

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
  mail = await startMailedAccounts();
});
afterAll(() => mail?.close());

const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const withMail = (overrides: Partial<AccountsSettings> = {}) => mail.context(overrides);

async function person(password: string | null = "the old password 1") {
  const email = unique("person");
  const user = await createUser(
    { db: t.db, clock: systemClock },
    { email, role: "DEVELOPER", organizationId: w.ownOrg, password, actor: cliActor() },
  );
  return { id: user.id, email };
}
const tokenMailedTo = (email: string) => mail.tokenMailedTo(email);
const versionOf = async (id: string) => (await t.db.user.findUniqueOrThrow({ where: { id } })).sessionEpoch;

describe("passwordReset.request and passwordReset.complete", () => {
  it("mails a link, signed out, that sets a new password once and ends every session", async () => {
    const someone = await person();
    const signedOut = w.caller(null, withMail());
    expect(await signedOut.passwordReset.request({ email: someone.email })).toEqual({ validForHours: 1 });
    expect(await signedOut.passwordReset.request({ email: unique("nobody") })).toEqual({ validForHours: 1 });
    const token = await tokenMailedTo(someone.email);
    const epoch = await versionOf(someone.id);

    const mismatch = await signedOut.passwordReset
      .complete({ token, password: NEW_PASSWORD, confirmPassword: "something else" })
      .catch((e) => e);
    expect(mismatch.code).toBe("BAD_REQUEST");
    expect(mismatch.message).toContain("The two passwords differ.");

    expect(
      await signedOut.passwordReset.complete({
        token,
        password: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      }),
    ).toEqual({ email: someone.email });
    expect(await versionOf(someone.id)).toBe(epoch + 1);
    const again = await signedOut.passwordReset
      .complete({ token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD })
      .catch((e) => e);
    expect(again).toMatchObject({ code: "BAD_REQUEST", message: EXPIRED_RESET_LINK_MESSAGE });
  });

  it("says to ask an administrator where e-mail is not set up", async () => {
    const refused = await w
      .caller(null)
      .passwordReset.request({ email: unique("x") })
      .catch((e) => e);
    expect(refused).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(refused.message).toBe(
      "Password reset by e-mail is not set up here. Ask an administrator for a reset link.",
    );
  });
});

describe("users.passwordResetLink", () => {
  it("gives an admin a link shown once, mailed too, through which the person chooses their password", async () => {
    const someone = await person(null);
    const made = await w.caller(w.people.ADMIN, withMail()).users.passwordResetLink({ userId: someone.id });
    expect(made).toMatchObject({ mailed: true });
    expect(made.link).toMatch(/^https:\/\/dashboard\.example\.test\/reset-password#token=[A-Za-z0-9_-]{43}$/);
    expect(await tokenMailedTo(someone.email)).toBe(new URL(made.link).hash.slice(7));
    await w.caller(null).passwordReset.complete({
      token: new URL(made.link).hash.slice(7),
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    const user = await t.db.user.findUniqueOrThrow({ where: { id: someone.id } });
    expect(user.passwordHash).not.toBeNull();
    // a session signed in before the reset is no longer recognised
    expect(await findSessionUser(t, { userId: someone.id, credentialVersion: "stale" })).toBeNull();
  });

  it("without e-mail, the link is only shown; other roles are refused", async () => {
    const someone = await person();
    const made = await w.as("ADMIN").users.passwordResetLink({ userId: someone.id });
    expect(made.mailed).toBe(false);
    expect(made.link).toMatch(/^http:\/\/localhost:3000\/reset-password#token=/);
    for (const role of ["COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER"] as const) {
      const refused = await w
        .as(role)
        .users.passwordResetLink({ userId: someone.id })
        .catch((e) => e);
      expect(refused.code).toBe("FORBIDDEN");
    }
  });
});
