import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { linksIn, type SmtpInbox, startSmtpInbox } from "../../../../test/support/smtp-inbox.ts";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import { createMemoryRateLimiter } from "../limits/memory-rate-limiter.ts";
import { createSmtpMailer, type SmtpMailer } from "../mail/mailer.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { createUser } from "../users/create-user.ts";
import { credentialVersion } from "../users/credential-version.ts";
import { deactivateUser } from "../users/deactivate-user.ts";
import { verifyPassword } from "../users/password.ts";
import { setUserPassword } from "../users/set-user-password.ts";
import { EXPIRED_RESET_LINK_MESSAGE } from "./account-links.ts";
import { createAccountThrottle } from "./account-throttle.ts";
import { createPasswordResetLink, requestPasswordReset, resetPassword } from "./password-reset.ts";

let t: TestDatabase;
let inbox: SmtpInbox;
let mailer: SmtpMailer;
let organizationId: string;
let admin: Actor;
const clock = fakeClock();
const system: Actor = { type: "SYSTEM", id: "test", origin: "cli" };
const NEW_PASSWORD = "violet tractor lantern meadow";
const origin = "198.51.100.9";

beforeAll(async () => {
  t = await createTestDatabase();
  inbox = await startSmtpInbox();
  mailer = createSmtpMailer({ smtpUrl: inbox.url, from: "Platform <noreply@example.test>" });
  organizationId = (
    await createOrganization({ db: t.db, clock }, { name: "Reset Co", tier: "free", actor: system })
  ).id;
  const first = await createUser(
    { db: t.db, clock },
    { email: unique("admin"), role: "ADMIN", password: "an admin password 1", actor: system },
  );
  admin = { type: "USER", id: first.id, origin: "203.0.113.1" };
});
afterAll(async () => {
  mailer?.close();
  await inbox?.close();
});

function unique(label: string) {
  return `${label}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}
const deps = () => ({
  db: t.db,
  clock,
  mailer,
  dashboardUrl: "https://dashboard.example.test",
  throttle: createAccountThrottle(createMemoryRateLimiter({ clock })),
  minimumAnswerMs: 0,
});

async function person(password: string | null = "the old password 1") {
  const email = unique("person");
  const created = await createUser(
    { db: t.db, clock },
    { email, role: "DEVELOPER", organizationId, password, actor: system },
  );
  return { id: created.id, email };
}

async function tokenMailedTo(email: string, nth = 1): Promise<string> {
  await inbox.waitForMessage(() => inbox.messages.filter((mail) => mail.to === email).length >= nth);
  const mail = inbox.messages.filter((received) => received.to === email)[nth - 1];
  const link = linksIn(mail ?? { text: "" })[0] ?? "";
  expect(link).toMatch(/^https:\/\/dashboard\.example\.test\/reset-password#token=[A-Za-z0-9_-]{43}$/);
  return new URL(link).hash.slice("#token=".length);
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

const versionOf = async (id: string) =>
  credentialVersion(await t.db.user.findUniqueOrThrow({ where: { id } }));

describe("requestPasswordReset", () => {
  it("answers an address with an account and one without alike, and mails only the first", async () => {
    const known = await person();
    const unknown = unique("nobody");
    const answers = [
      await requestPasswordReset(deps(), { email: known.email, origin }),
      await requestPasswordReset(deps(), { email: unknown, origin }),
    ];
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toEqual({ validForHours: 1 });
    const mail = await inbox.waitForMessage((received) => received.to === known.email);
    expect(mail.subject).toBe("Reset your Deep Seek Chat API password");
    expect(inbox.messages.some((received) => received.to === unknown)).toBe(false);
    expect(await t.db.accountToken.count({ where: { email: unknown } })).toBe(0);
  });

  it("takes at least the minimum time either way", async () => {
    const started = performance.now();
    await requestPasswordReset({ ...deps(), minimumAnswerMs: 150 }, { email: unique("nobody"), origin });
    expect(performance.now() - started).toBeGreaterThanOrEqual(149);
  });

  it("sends nothing for a deactivated account, with the same answer", async () => {
    const gone = await person();
    await deactivateUser({ db: t.db, clock }, { userId: gone.id, actor: admin });
    expect(await requestPasswordReset(deps(), { email: gone.email, origin })).toEqual({ validForHours: 1 });
    expect(await t.db.accountToken.count({ where: { userId: gone.id, purpose: "PASSWORD_RESET" } })).toBe(0);
  });

  it("says to ask an administrator when e-mail is not set up", async () => {
    const error = await refusal(
      requestPasswordReset({ ...deps(), mailer: null }, { email: unique("x"), origin }),
    );
    expect(error.code).toBe("unavailable");
    expect(error.message).toBe(
      "Password reset by e-mail is not set up here. Ask an administrator for a reset link.",
    );
  });

  it("throttles per address and per client, for known and unknown addresses alike", async () => {
    const throttle = createAccountThrottle(createMemoryRateLimiter({ clock }));
    const email = unique("nobody");
    for (let i = 0; i < 5; i++) await requestPasswordReset({ ...deps(), throttle }, { email, origin });
    expect((await refusal(requestPasswordReset({ ...deps(), throttle }, { email, origin }))).code).toBe(
      "rate_limited",
    );
    const client = "2001:db8:1:2::1";
    for (let i = 0; i < 20; i++) {
      await requestPasswordReset(
        { ...deps(), throttle },
        { email: unique("many"), origin: `2001:db8:1:2::${i + 2}` },
      );
    }
    // another address of the same /64 is the same client
    const error = await refusal(
      requestPasswordReset({ ...deps(), throttle }, { email: unique("many"), origin: client }),
    );
    expect(error.code).toBe("rate_limited");
  });
});

describe("resetPassword", () => {
  it("sets the password once, ends every session, lifts an admin's password and verifies the address", async () => {
    const someone = await person();
    await setUserPassword(
      { db: t.db, clock },
      { userId: someone.id, password: "admin chose this 1", actor: admin },
    );
    await t.db.user.update({ where: { id: someone.id }, data: { emailVerified: null } });
    const before = await versionOf(someone.id);
    await requestPasswordReset(deps(), { email: someone.email, origin });
    const token = await tokenMailedTo(someone.email);

    expect(await resetPassword(deps(), { token, password: NEW_PASSWORD, origin })).toEqual({
      email: someone.email,
    });
    const user = await t.db.user.findUniqueOrThrow({ where: { id: someone.id } });
    expect(await verifyPassword(user.passwordHash ?? "", NEW_PASSWORD)).toBe(true);
    expect(user.mustChangePassword).toBe(false);
    expect(user.emailVerified).toEqual(clock.now());
    expect(credentialVersion(user)).not.toBe(before);
    expect(
      await t.db.auditEvent.count({ where: { targetId: someone.id, action: "user.password_reset" } }),
    ).toBe(1);

    const again = await refusal(
      resetPassword(deps(), { token, password: "another fine passphrase", origin }),
    );
    expect(again).toMatchObject({ code: "invalid", message: EXPIRED_RESET_LINK_MESSAGE, param: "token" });
  });

  it("refuses a weak password and leaves the link working", async () => {
    const someone = await person();
    await requestPasswordReset(deps(), { email: someone.email, origin });
    const token = await tokenMailedTo(someone.email);
    const weak = await refusal(resetPassword(deps(), { token, password: someone.email, origin }));
    expect(weak).toMatchObject({ code: "invalid", param: "password" });
    await resetPassword(deps(), { token, password: NEW_PASSWORD, origin });
  });

  it("refuses a link after an hour, and an older link once a newer one was sent", async () => {
    const someone = await person();
    await requestPasswordReset(deps(), { email: someone.email, origin });
    const first = await tokenMailedTo(someone.email, 1);
    await requestPasswordReset(deps(), { email: someone.email, origin });
    const second = await tokenMailedTo(someone.email, 2);
    expect(
      (await refusal(resetPassword(deps(), { token: first, password: NEW_PASSWORD, origin }))).message,
    ).toBe(EXPIRED_RESET_LINK_MESSAGE);
    clock.advance(60 * 60_000);
    expect(
      (await refusal(resetPassword(deps(), { token: second, password: NEW_PASSWORD, origin }))).message,
    ).toBe(EXPIRED_RESET_LINK_MESSAGE);
    const user = await t.db.user.findUniqueOrThrow({ where: { id: someone.id } });
    expect(await verifyPassword(user.passwordHash ?? "", "the old password 1")).toBe(true);
  });

  it("lets exactly one of two requests with the same link at once succeed", async () => {
    const someone = await person();
    await requestPasswordReset(deps(), { email: someone.email, origin });
    const token = await tokenMailedTo(someone.email);
    const outcomes = await Promise.allSettled([
      resetPassword(deps(), { token, password: NEW_PASSWORD, origin }),
      resetPassword(deps(), { token, password: "a different strong passphrase", origin }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const failed = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: "invalid", message: EXPIRED_RESET_LINK_MESSAGE });
    expect(
      await t.db.auditEvent.count({ where: { targetId: someone.id, action: "user.password_reset" } }),
    ).toBe(1);
  });
});

describe("createPasswordResetLink", () => {
  it("gives the admin the link once and mails it too; the person, added without a password, gets in with it", async () => {
    const someone = await person(null);
    const made = await createPasswordResetLink(deps(), { userId: someone.id, actor: admin });
    expect(made.mailed).toBe(true);
    expect(made.link).toMatch(/^https:\/\/dashboard\.example\.test\/reset-password#token=/);
    expect(await tokenMailedTo(someone.email)).toBe(new URL(made.link).hash.slice("#token=".length));
    const audit = await t.db.auditEvent.findFirst({
      where: { targetId: someone.id, action: "user.password_reset_link" },
    });
    expect(audit?.actorId).toBe(admin.id);

    await resetPassword(deps(), { token: new URL(made.link).hash.slice(7), password: NEW_PASSWORD, origin });
    const user = await t.db.user.findUniqueOrThrow({ where: { id: someone.id } });
    expect(await verifyPassword(user.passwordHash ?? "", NEW_PASSWORD)).toBe(true);
  });

  it("works without a mailer (not mailed), and refuses an unknown or deactivated person", async () => {
    const someone = await person();
    const made = await createPasswordResetLink(
      { ...deps(), mailer: null },
      { userId: someone.id, actor: admin },
    );
    expect(made.mailed).toBe(false);
    expect((await refusal(createPasswordResetLink(deps(), { userId: "user_nope", actor: admin }))).code).toBe(
      "not_found",
    );
    await deactivateUser({ db: t.db, clock }, { userId: someone.id, actor: admin });
    expect((await refusal(createPasswordResetLink(deps(), { userId: someone.id, actor: admin }))).code).toBe(
      "conflict",
    );
    // a deactivated person's older link opens nothing either
    const error = await refusal(
      resetPassword(deps(), { token: new URL(made.link).hash.slice(7), password: NEW_PASSWORD, origin }),
    );
    expect(error.message).toBe(EXPIRED_RESET_LINK_MESSAGE);
  });
});
