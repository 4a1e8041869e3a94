import { EXPIRED_LINK_MESSAGE } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import type { AccountsSettings } from "../context.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";
import { type MailedAccounts, startMailedAccounts } from "../testing/mailed-accounts.ts";

let t: TestDatabase;
let w: DashboardWorld;
let mail: MailedAccounts;
const PASSWORD = "correct horse battery staple";

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
  mail = await startMailedAccounts();
});
afterAll(() => mail?.close());

const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 8)}@example.com`;
/** the dashboard's settings with sign-up open and an SMTP mailer, and a fresh throttle */
const open = (overrides: Partial<AccountsSettings> = {}) => mail.context({ signup: "open", ...overrides });
const tokenMailedTo = (email: string, nth = 1) => mail.tokenMailedTo(email, nth);

describe("signup.policy", () => {
  it("tells the pages, signed out, who may sign up and whether e-mail is set up", async () => {
    expect(await w.caller(null).signup.policy()).toEqual({ signup: "invite", emailEnabled: false });
    expect(await w.caller(null, open()).signup.policy()).toEqual({ signup: "open", emailEnabled: true });
    expect(await w.caller(null, open({ signup: "closed", mailer: null })).signup.policy()).toEqual({
      signup: "closed",
      emailEnabled: false,
    });
  });
});

describe("signup.create and signup.verifyEmail", () => {
  it("signs up signed out, mails the link, and the link verifies the address once", async () => {
    const email = unique("newcomer");
    expect(
      await w.caller(null, open()).signup.create({ email, password: PASSWORD, name: "New Comer" }),
    ).toEqual({
      email,
    });
    const user = await t.db.user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    expect(user.emailVerified).toBeNull();
    expect(user.memberships).toEqual([expect.objectContaining({ role: "OWNER" })]);

    const token = await tokenMailedTo(email);
    expect(await w.caller(null).signup.verifyEmail({ token })).toEqual({ email });
    expect((await t.db.user.findUniqueOrThrow({ where: { email } })).emailVerified).not.toBeNull();
    const again = await w
      .caller(null)
      .signup.verifyEmail({ token })
      .catch((error) => error);
    expect(again).toMatchObject({ code: "BAD_REQUEST", message: EXPIRED_LINK_MESSAGE });
  });

  it("refuses sign-up unless SIGNUP=open (the default: invitation only)", async () => {
    const refused = await w
      .caller(null)
      .signup.create({ email: unique("x"), password: PASSWORD })
      .catch((error) => error);
    expect(refused).toMatchObject({ code: "FORBIDDEN" });
    expect(refused.message).toContain("invitation");
  });

  it("answers a weak password at its field, a malformed address and a huge input by their schema", async () => {
    const caller = w.caller(null, open());
    const weak = await caller.signup
      .create({ email: unique("weak"), password: "password12345" })
      .catch((e) => e);
    expect(weak).toMatchObject({ code: "BAD_REQUEST", cause: { param: "password" } });
    expect(weak.message).toMatch(/^This password is too easy to guess\./);
    const malformed = await caller.signup.create({ email: "nope", password: PASSWORD }).catch((e) => e);
    expect(malformed.code).toBe("BAD_REQUEST");
    const huge = await caller.signup
      .create({ email: unique("big"), password: "x".repeat(10_000) })
      .catch((e) => e);
    expect(huge.code).toBe("BAD_REQUEST");
    const token = await caller.signup.verifyEmail({ token: "t".repeat(10_000) }).catch((e) => e);
    expect(token.code).toBe("BAD_REQUEST");
  });

  it("refuses an address that has an account with a way in, and throttles the sixth attempt", async () => {
    const context = open({ mailer: null });
    const caller = w.caller(null, context);
    const email = unique("dup");
    await caller.signup.create({ email, password: PASSWORD });
    const twice = await caller.signup.create({ email, password: PASSWORD }).catch((e) => e);
    expect(twice).toMatchObject({ code: "CONFLICT" });
    expect(twice.message).toBe(`${email} already has an account. Sign in, or reset your password.`);
    for (let i = 0; i < 3; i++) await caller.signup.create({ email, password: PASSWORD }).catch(() => {});
    const limited = await caller.signup.create({ email, password: PASSWORD }).catch((e) => e);
    expect(limited.code).toBe("TOO_MANY_REQUESTS");
    expect(limited.message).toMatch(/^Too many attempts\. Try again in \d+ minutes\.$/);
  });
});

describe("account.sendVerificationEmail", () => {
  it("sends a signed-in person with an unverified address a new link", async () => {
    const email = unique("later");
    await w.caller(null, open()).signup.create({ email, password: PASSWORD });
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    const me = w.caller(
      {
        id: user.id,
        role: "OWNER",
        platformRole: "DEVELOPER",
        organizationId: user.organizationId,
        emailVerified: false,
      },
      open(),
    );
    const sent = await me.account.sendVerificationEmail();
    expect(sent.email).toBe(email);
    const token = await tokenMailedTo(email, 2);
    await w.caller(null).signup.verifyEmail({ token });
    const done = await me.account.sendVerificationEmail().catch((e) => e);
    expect(done).toMatchObject({ code: "CONFLICT", message: `${email} is already verified.` });
  });
});
