import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { linksIn, type SmtpInbox, startSmtpInbox } from "../../../../test/support/smtp-inbox.ts";
import { DomainError } from "../errors/domain-error.ts";
import { createMemoryRateLimiter } from "../limits/memory-rate-limiter.ts";
import { createSmtpMailer, type SmtpMailer } from "../mail/mailer.ts";
import { EXPIRED_LINK_MESSAGE } from "./account-links.ts";
import { createAccountThrottle } from "./account-throttle.ts";
import { signUp } from "./sign-up.ts";
import { sendVerificationEmail, verifyEmail } from "./verify-email.ts";

let t: TestDatabase;
let inbox: SmtpInbox;
let mailer: SmtpMailer;
const clock = fakeClock();
const DASHBOARD = "https://dashboard.example.test/";

beforeAll(async () => {
  t = await createTestDatabase();
  inbox = await startSmtpInbox();
  mailer = createSmtpMailer({ smtpUrl: inbox.url, from: "Platform <noreply@example.test>" });
});
afterAll(async () => {
  mailer?.close();
  await inbox?.close();
});

const deps = () => ({
  db: t.db,
  clock,
  mailer,
  dashboardUrl: DASHBOARD,
  signup: "open" as const,
  throttle: createAccountThrottle(createMemoryRateLimiter({ clock })),
});
const unique = (label: string) => `${label}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const origin = "198.51.100.7";

/** signs up and returns the secret of the link the e-mail carried */
async function signedUpWithLink(email = unique("verify")) {
  const signed = await signUp(deps(), { email, password: "correct horse battery staple", origin });
  const token = await latestToken(email, 1);
  return { ...signed, token };
}

/** the secret of the `nth` verification e-mail to an address */
async function latestToken(email: string, nth: number): Promise<string> {
  const isTheOne = () => inbox.messages.filter((mail) => mail.to === email).length >= nth;
  await inbox.waitForMessage(() => isTheOne());
  const mails = inbox.messages.filter((mail) => mail.to === email);
  const link = linksIn(mails[nth - 1] ?? { text: "" })[0] ?? "";
  // the trailing slash of the configured address does not double
  expect(link.startsWith("https://dashboard.example.test/verify-email#token=")).toBe(true);
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

describe("verifyEmail", () => {
  it("verifies the address once, with an audit record; the link then no longer works", async () => {
    const { userId, token, email } = await signedUpWithLink();
    expect(await verifyEmail(deps(), { token, origin })).toEqual({ email });
    const user = await t.db.user.findUniqueOrThrow({ where: { id: userId } });
    expect(user.emailVerified).toEqual(clock.now());
    const audit = await t.db.auditEvent.findFirst({
      where: { targetId: userId, action: "user.email_verified" },
    });
    expect(audit).toMatchObject({ actorId: userId, origin });

    const again = await refusal(verifyEmail(deps(), { token, origin }));
    expect(again).toMatchObject({ code: "invalid", message: EXPIRED_LINK_MESSAGE, param: "token" });
  });

  it("refuses an expired link (24 hours) and a made-up one with the same sentence", async () => {
    const { userId, token } = await signedUpWithLink();
    clock.advance(24 * 60 * 60_000);
    const expired = await refusal(verifyEmail(deps(), { token, origin }));
    expect(expired.message).toBe(EXPIRED_LINK_MESSAGE);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: userId } })).emailVerified).toBeNull();
    for (const madeUp of ["", "x".repeat(43), "not a token at all", `${token}x`]) {
      expect((await refusal(verifyEmail(deps(), { token: madeUp, origin }))).message).toBe(
        EXPIRED_LINK_MESSAGE,
      );
    }
  });
});

describe("sendVerificationEmail", () => {
  it("sends a new link; only the newest works", async () => {
    const email = unique("resend");
    const { userId, token: first } = await signedUpWithLink(email);
    const sent = await sendVerificationEmail(deps(), { userId, origin });
    expect(sent.email).toBe(email);
    const second = await latestToken(email, 2);
    expect(second).not.toBe(first);
    expect((await refusal(verifyEmail(deps(), { token: first, origin }))).message).toBe(EXPIRED_LINK_MESSAGE);
    await verifyEmail(deps(), { token: second, origin });

    const verified = await refusal(sendVerificationEmail(deps(), { userId, origin }));
    expect(verified).toMatchObject({ code: "conflict", message: `${email} is already verified.` });
  });

  it("says e-mail is not set up when there is no mailer", async () => {
    const { userId } = await signedUpWithLink();
    const error = await refusal(sendVerificationEmail({ ...deps(), mailer: null }, { userId, origin }));
    expect(error.code).toBe("unavailable");
    expect(error.message).toContain("E-mail is not set up here");
  });

  it("spends the address's sign-up budget: five e-mails an hour in all", async () => {
    const throttle = createAccountThrottle(createMemoryRateLimiter({ clock }));
    const email = unique("spender");
    const signed = await signUp(
      { ...deps(), throttle },
      { email, password: "correct horse battery staple", origin },
    );
    for (let i = 0; i < 4; i++)
      await sendVerificationEmail({ ...deps(), throttle }, { userId: signed.userId, origin });
    const limited = await refusal(
      sendVerificationEmail({ ...deps(), throttle }, { userId: signed.userId, origin }),
    );
    expect(limited.code).toBe("rate_limited");
  });
});
