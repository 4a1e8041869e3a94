import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { linksIn, type SmtpInbox, startSmtpInbox } from "../../../../test/support/smtp-inbox.ts";
import { hashAccountToken } from "../account-tokens/account-tokens.ts";
import { DomainError } from "../errors/domain-error.ts";
import { createMemoryRateLimiter } from "../limits/memory-rate-limiter.ts";
import { createSmtpMailer, type SmtpMailer } from "../mail/mailer.ts";
import { verifyPassword } from "../users/password.ts";
import { createAccountThrottle } from "./account-throttle.ts";
import { type SignUpDeps, signUp } from "./sign-up.ts";

let t: TestDatabase;
let inbox: SmtpInbox;
let mailer: SmtpMailer;
const clock = fakeClock();
const PASSWORD = "correct horse battery staple";
const DASHBOARD = "https://dashboard.example.test";

beforeAll(async () => {
  t = await createTestDatabase();
  inbox = await startSmtpInbox();
  mailer = createSmtpMailer({ smtpUrl: inbox.url, from: "Platform <noreply@example.test>" });
});
afterAll(async () => {
  mailer?.close();
  await inbox?.close();
});

/** a fresh throttle per test unless one is shared on purpose */
const deps = (overrides: Partial<SignUpDeps> = {}): SignUpDeps => ({
  db: t.db,
  clock,
  mailer,
  dashboardUrl: DASHBOARD,
  signup: "open",
  throttle: createAccountThrottle(createMemoryRateLimiter({ clock })),
  ...overrides,
});
const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 8)}@example.com`;
let client = 0;
const origin = () => `198.51.100.${++client}`;

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (failure: unknown) => failure,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

describe("signUp", () => {
  it("makes a developer who owns a new free-tier organization, with an unverified address and one verification link", async () => {
    const email = unique("Ada");
    const signed = await signUp(deps(), {
      email: `  ${email.toUpperCase()} `,
      password: PASSWORD,
      name: "Ada",
      origin: origin(),
    });

    expect(signed.email).toBe(email.toLowerCase());
    expect(signed.verificationSent).toBe(true);
    const user = await t.db.user.findUniqueOrThrow({
      where: { id: signed.userId },
      include: { memberships: true, organization: { include: { tier: true } } },
    });
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      name: "Ada",
      role: "DEVELOPER",
      emailVerified: null,
      mustChangePassword: false,
      organizationId: signed.organizationId,
    });
    expect(await verifyPassword(user.passwordHash ?? "", PASSWORD)).toBe(true);
    expect(user.organization?.name).toBe("Ada's organization");
    expect(user.organization?.tier.slug).toBe("free");
    expect(user.memberships).toEqual([
      expect.objectContaining({ organizationId: signed.organizationId, role: "OWNER" }),
    ]);
    const tokens = await t.db.accountToken.findMany({ where: { userId: signed.userId } });
    expect(tokens).toEqual([expect.objectContaining({ purpose: "EMAIL_VERIFICATION", usedAt: null })]);
    const actions = await t.db.auditEvent.findMany({ where: { organizationId: signed.organizationId } });
    expect(actions.map((event) => event.action).sort()).toEqual(["organization.create", "user.sign_up"]);
    expect(actions.every((event) => event.actorId === signed.userId)).toBe(true);

    // the e-mail's link carries the secret in its fragment, and only its hash is stored
    const mail = await inbox.waitForMessage((received) => received.to === email.toLowerCase());
    const [link] = linksIn(mail);
    const match = /^https:\/\/dashboard\.example\.test\/verify-email#token=([A-Za-z0-9_-]{43})$/.exec(
      link ?? "",
    );
    expect(match).not.toBeNull();
    expect(tokens[0]?.tokenHash).toBe(hashAccountToken(match?.[1] ?? ""));
  });

  it("names the organization after the address's local part when no name is given", async () => {
    const email = unique("grace");
    const signed = await signUp(deps({ mailer: null }), { email, password: PASSWORD, origin: origin() });
    const organization = await t.db.organization.findUniqueOrThrow({ where: { id: signed.organizationId } });
    expect(organization.name).toBe(`${email.split("@")[0]}'s organization`);
    // without a mail server the account stands; the person sends the link again later
    expect(signed.verificationSent).toBe(false);
  });

  it("is refused unless SIGNUP=open, saying how to get an account, and creates nothing", async () => {
    const email = unique("closed");
    const invite = await refusal(
      signUp(deps({ signup: "invite" }), { email, password: PASSWORD, origin: origin() }),
    );
    expect(invite.code).toBe("forbidden");
    expect(invite.message).toContain("invitation");
    const closed = await refusal(
      signUp(deps({ signup: "closed" }), { email, password: PASSWORD, origin: origin() }),
    );
    expect(closed.code).toBe("forbidden");
    expect(closed.message).toContain("Ask an administrator");
    expect(await t.db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses a malformed address, a weak password and a long name at their fields", async () => {
    const malformed = await refusal(
      signUp(deps(), { email: "not an address", password: PASSWORD, origin: origin() }),
    );
    expect(malformed).toMatchObject({ code: "invalid", param: "email" });
    const email = unique("weak");
    const weak = await refusal(signUp(deps(), { email, password: "password12345", origin: origin() }));
    expect(weak).toMatchObject({ code: "invalid", param: "password" });
    expect(weak.message).toMatch(/^This password is too easy to guess\./);
    const own = await refusal(signUp(deps(), { email, password: `${email}1`, origin: origin() }));
    expect(own.param).toBe("password");
    const named = await refusal(
      signUp(deps(), { email, password: PASSWORD, name: "n".repeat(101), origin: origin() }),
    );
    expect(named).toMatchObject({ code: "invalid", param: "name" });
    expect(await t.db.user.count({ where: { email } })).toBe(0);
  });

  it("refuses an address that has an account, telling how to get in, also when two sign up at once", async () => {
    const email = unique("twice");
    await signUp(deps({ mailer: null }), { email, password: PASSWORD, origin: origin() });
    const again = await refusal(signUp(deps(), { email, password: PASSWORD, origin: origin() }));
    expect(again).toMatchObject({ code: "conflict", param: "email" });
    expect(again.message).toBe(`${email} already has an account. Sign in, or reset your password.`);

    const racing = unique("racing");
    const outcomes = await Promise.allSettled([
      signUp(deps({ mailer: null }), { email: racing, password: PASSWORD, origin: origin() }),
      signUp(deps({ mailer: null }), { email: racing, password: PASSWORD, origin: origin() }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const failed = outcomes.find((outcome) => outcome.status === "rejected");
    expect((failed as PromiseRejectedResult).reason).toMatchObject({ code: "conflict" });
    expect(await t.db.user.count({ where: { email: racing } })).toBe(1);
    // the loser's organization was rolled back with its person
    const owners = await t.db.organization.count({
      where: { name: `${racing.split("@")[0]}'s organization` },
    });
    expect(owners).toBe(1);
  });

  it("throttles per address (5 an hour) and per client address (20 an hour), saying how long to wait", async () => {
    const throttle = createAccountThrottle(createMemoryRateLimiter({ clock }));
    const email = unique("busy");
    // an existing address still spends: the throttle comes before the look-up
    await signUp(deps({ throttle, mailer: null }), { email, password: PASSWORD, origin: origin() });
    for (let i = 0; i < 4; i++) {
      await refusal(signUp(deps({ throttle }), { email, password: PASSWORD, origin: origin() }));
    }
    const limited = await refusal(
      signUp(deps({ throttle }), { email, password: PASSWORD, origin: origin() }),
    );
    expect(limited.code).toBe("rate_limited");
    expect(limited.message).toBe("Too many attempts. Try again in 12 minutes.");

    const crowd = "203.0.113.99";
    for (let i = 0; i < 20; i++) {
      await signUp(deps({ throttle, mailer: null }), {
        email: unique("crowd"),
        password: PASSWORD,
        origin: crowd,
      });
    }
    const fromCrowd = await refusal(
      signUp(deps({ throttle }), { email: unique("crowd"), password: PASSWORD, origin: crowd }),
    );
    expect(fromCrowd.code).toBe("rate_limited");
    expect(fromCrowd.message).toBe("Too many attempts. Try again in 3 minutes.");
    // the buckets refill: an hour later the address may sign up again
    clock.advance(60 * 60_000);
    await signUp(deps({ throttle, mailer: null }), {
      email: unique("crowd"),
      password: PASSWORD,
      origin: crowd,
    });
  });
});
