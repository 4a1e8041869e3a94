import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../../test/support/free-port.ts";
import { linksIn, type SmtpInbox, startSmtpInbox } from "../../../../test/support/smtp-inbox.ts";
import { DomainError } from "../errors/domain-error.ts";
import { emailVerificationMessage, invitationMessage, passwordResetMessage } from "./account-messages.ts";
import { checkMailEnv, mailEnvSchema, mailSettingsOf } from "./mail-env.ts";
import { createSmtpMailer, type SmtpMailer } from "./mailer.ts";

const FROM = "Platform <noreply@example.test>";
const uniqueAddress = () => `dev-${randomUUID()}@example.test`;
const linkWith = (path: string) => `https://dashboard.example.test/${path}?token=${randomUUID()}-Ab_9`;

function mailerFor(url: string, options?: Parameters<typeof createSmtpMailer>[1]): SmtpMailer {
  const settings = mailSettingsOf(mailEnvSchema.parse({ SMTP_URL: url, MAIL_FROM: FROM }));
  if (!settings) throw new Error("SMTP settings expected");
  return createSmtpMailer(settings, options);
}

/** The DomainError a failed send ends with, and how long it took to come. */
async function failureOf(send: Promise<void>): Promise<{ error: DomainError; elapsedMs: number }> {
  const started = performance.now();
  const error = await send.then(
    () => null,
    (failure: unknown) => failure,
  );
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return { error, elapsedMs: performance.now() - started };
}

describe("account e-mails through a real SMTP server", () => {
  let inbox: SmtpInbox;
  let mailer: SmtpMailer;

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    mailer = mailerFor(inbox.url);
  });
  afterAll(async () => {
    mailer?.close();
    await inbox?.close();
  });

  it("delivers the verification e-mail to its address, with the link and its lifetime", async () => {
    const to = uniqueAddress();
    const link = linkWith("verify-email");
    await mailer.send(emailVerificationMessage({ to, link, validForHours: 24 }));

    const mail = await inbox.waitForMessage((received) => received.envelope.to.includes(to));
    expect(mail.envelope.to).toEqual([to]);
    expect(mail.envelope.from).toBe("noreply@example.test");
    expect(mail.from).toBe(FROM);
    expect(mail.to).toBe(to);
    expect(mail.subject).toBe("Confirm your e-mail address for Deep Seek Chat API");
    expect(linksIn(mail)).toEqual([link]);
    expect(mail.text).toContain("expires in 24 hours");
    expect(mail.text).toContain("— Deep Seek Chat API");
    expect(mail.html).toContain(`<a href="${link}">Confirm my address</a>`);
  });

  it("delivers the password-reset e-mail, saying what to do when nobody asked", async () => {
    const to = uniqueAddress();
    const link = linkWith("reset-password");
    await mailer.send(passwordResetMessage({ to, link, validForHours: 1 }));

    const mail = await inbox.waitForMessage((received) => received.to === to);
    expect(mail.subject).toBe("Reset your Deep Seek Chat API password");
    expect(linksIn(mail)).toEqual([link]);
    expect(mail.text).toContain("expires in 1 hour.");
    expect(mail.text).toContain("If you did not ask for this, ignore this e-mail");
    expect(mail.html).toContain(`href="${link}"`);
  });

  it("delivers the invitation with the organization, the inviter, the role and a lifetime in days", async () => {
    const to = uniqueAddress();
    const link = linkWith("invitations/accept");
    await mailer.send(
      invitationMessage({
        to,
        link,
        validForHours: 7 * 24,
        organizationName: "Müller & Söhne — Forschung",
        inviterName: "Ada Lovelace",
        role: "DEVELOPER",
      }),
    );

    const mail = await inbox.waitForMessage((received) => received.to === to);
    expect(mail.subject).toBe("Ada Lovelace invited you to Müller & Söhne — Forschung on Deep Seek Chat API");
    expect(mail.text).toContain(
      "Ada Lovelace invited you to join the organization Müller & Söhne — Forschung on Deep Seek Chat API, as Developer.",
    );
    expect(mail.text).toContain("expires in 7 days");
    expect(mail.html).toContain("Müller &amp; Söhne — Forschung");
    expect(linksIn(mail)).toEqual([link]);
  });

  it("escapes a hostile organization name in the HTML part and keeps line breaks out of the subject", async () => {
    const to = uniqueAddress();
    const link = linkWith("invitations/accept");
    await mailer.send(
      invitationMessage({
        to,
        link,
        validForHours: 168,
        organizationName: '<script>alert("owned")</script><img src=x onerror=alert(1)>',
        inviterName: "Mallory\r\nBcc: victim@example.test\r\nX-Injected: yes",
        role: "OWNER",
      }),
    );

    const mail = await inbox.waitForMessage((received) => received.to === to);
    expect(mail.html).not.toContain("<script");
    expect(mail.html).not.toContain("<img");
    expect(mail.html).toContain(
      "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;",
    );
    expect(mail.subject).toBe(
      'Mallory Bcc: victim@example.test X-Injected: yes invited you to <script>alert("owned")</script><img src=x onerror=alert(1)> on Deep Seek Chat API',
    );
    expect(mail.headers).not.toHaveProperty("bcc");
    expect(mail.headers).not.toHaveProperty("x-injected");
    expect(mail.envelope.to).toEqual([to]);
    expect(mail.text).toContain("Mallory Bcc: victim@example.test X-Injected: yes invited you");
    expect(mail.text).toContain("as Owner.");
  });

  it("refuses to build a message around a link that is not http(s)", () => {
    expect(() =>
      emailVerificationMessage({ to: uniqueAddress(), link: "javascript:alert(1)", validForHours: 24 }),
    ).toThrow("an account e-mail's link must be an http(s) URL");
  });
});

describe("signing in to the SMTP server", () => {
  const password = "s3cret-Passw0rd!";
  let inbox: SmtpInbox;

  beforeAll(async () => {
    inbox = await startSmtpInbox({ auth: { user: "mailer", password } });
  });
  afterAll(async () => {
    await inbox?.close();
  });

  it("sends with the user and password in SMTP_URL", async () => {
    const mailer = mailerFor(inbox.url);
    try {
      const to = uniqueAddress();
      await mailer.send(passwordResetMessage({ to, link: linkWith("reset-password"), validForHours: 1 }));
      const mail = await inbox.waitForMessage((received) => received.to === to);
      expect(mail.user).toBe("mailer");
    } finally {
      mailer.close();
    }
  });

  it("says the e-mail could not be sent when the password is wrong, without repeating it", async () => {
    const wrongPassword = "not-the-Passw0rd-42";
    const url = `smtp://mailer:${wrongPassword}@127.0.0.1:${inbox.port}`;
    const mailer = mailerFor(url);
    const received = inbox.messages.length;
    const refused = inbox.refusedSignIns;
    try {
      const { error } = await failureOf(
        mailer.send(
          emailVerificationMessage({
            to: uniqueAddress(),
            link: linkWith("verify-email"),
            validForHours: 24,
          }),
        ),
      );
      expect(error.code).toBe("unavailable");
      expect(error.message).toBe(
        "The e-mail could not be sent: the mail server refused the sign-in; check the user and password in SMTP_URL (reply 535).",
      );
      expect(error.message).not.toContain(wrongPassword);
      expect(error.message).not.toContain(url);
      expect(inbox.refusedSignIns).toBe(refused + 1);
      expect(inbox.messages).toHaveLength(received);
    } finally {
      mailer.close();
    }
  });
});

describe("an SMTP server that cannot be used", () => {
  let silent: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // accepts connections and never greets, as a stuck server or a black-holing firewall does
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("fails at once with unavailable when nothing listens on the port", async () => {
    const mailer = mailerFor(`smtp://127.0.0.1:${await freePort()}`);
    try {
      const { error, elapsedMs } = await failureOf(
        mailer.send(
          emailVerificationMessage({
            to: uniqueAddress(),
            link: linkWith("verify-email"),
            validForHours: 24,
          }),
        ),
      );
      expect(error.code).toBe("unavailable");
      expect(error.message).toBe("The e-mail could not be sent: the mail server could not be reached.");
      expect(elapsedMs).toBeLessThan(5_000);
    } finally {
      mailer.close();
    }
  });

  it("gives up on a server that never answers after the default 10 seconds", async () => {
    const port = (silent.address() as { port: number }).port;
    const mailer = mailerFor(`smtp://127.0.0.1:${port}`);
    try {
      const { error, elapsedMs } = await failureOf(
        mailer.send(
          emailVerificationMessage({
            to: uniqueAddress(),
            link: linkWith("verify-email"),
            validForHours: 24,
          }),
        ),
      );
      expect(error.code).toBe("unavailable");
      expect(error.message).toBe("The e-mail could not be sent: the mail server did not answer in time.");
      expect(elapsedMs).toBeGreaterThanOrEqual(9_500);
      expect(elapsedMs).toBeLessThan(15_000);
    } finally {
      mailer.close();
    }
  }, 25_000);

  it("honours a shorter step timeout", async () => {
    const port = (silent.address() as { port: number }).port;
    const mailer = mailerFor(`smtp://127.0.0.1:${port}`, { stepTimeoutMs: 300 });
    try {
      const { error, elapsedMs } = await failureOf(
        mailer.send(
          passwordResetMessage({ to: uniqueAddress(), link: linkWith("reset-password"), validForHours: 1 }),
        ),
      );
      expect(error.message).toBe("The e-mail could not be sent: the mail server did not answer in time.");
      expect(elapsedMs).toBeLessThan(3_000);
    } finally {
      mailer.close();
    }
  });
});

describe("the mail environment", () => {
  it("switches e-mail off when SMTP_URL is unset", () => {
    expect(mailSettingsOf(mailEnvSchema.parse({}))).toBeNull();
    expect(mailSettingsOf(mailEnvSchema.parse({ MAIL_FROM: "noreply@example.test" }))).toBeNull();
  });

  it("takes an smtp:// or smtps:// URL with credentials and an address with or without a name", () => {
    expect(
      mailSettingsOf(
        mailEnvSchema.parse({ SMTP_URL: "smtps://user:pa%24s@mail.example.test:465", MAIL_FROM: FROM }),
      ),
    ).toEqual({ smtpUrl: "smtps://user:pa%24s@mail.example.test:465", from: FROM });
    expect(
      mailSettingsOf(
        mailEnvSchema.parse({ SMTP_URL: "smtp://mail.example.test:587", MAIL_FROM: "noreply@example.test" }),
      ),
    ).toEqual({ smtpUrl: "smtp://mail.example.test:587", from: "noreply@example.test" });
  });

  it("refuses SMTP_URL without MAIL_FROM, in a sentence naming both", () => {
    const env = mailEnvSchema.parse({ SMTP_URL: "smtp://user:hunter2@mail.example.test" });
    const expected =
      "invalid configuration: MAIL_FROM must be set with SMTP_URL: the address account e-mails come from, such as Platform <noreply@example.com>";
    expect(() => checkMailEnv(env)).toThrow(expected);
    expect(() => mailSettingsOf(env)).toThrow(expected);
  });

  it("refuses other URL schemes without repeating the URL", () => {
    const result = mailEnvSchema.safeParse({
      SMTP_URL: "https://user:hunter2@mail.example.test",
      MAIL_FROM: FROM,
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message) ?? [];
    expect(messages).toEqual([
      "SMTP_URL must be an smtp:// or smtps:// URL, such as smtps://user:password@mail.example.com",
    ]);
    expect(mailEnvSchema.safeParse({ SMTP_URL: "not a url" }).success).toBe(false);
    expect(mailEnvSchema.safeParse({ SMTP_URL: `smtp://${"a".repeat(2048)}.test` }).success).toBe(false);
  });

  it("refuses a MAIL_FROM that is not an address, carries a line break or is too long", () => {
    const refused = (value: string) => !mailEnvSchema.safeParse({ MAIL_FROM: value }).success;
    expect(refused("not an address")).toBe(true);
    expect(refused("Platform <not an address>")).toBe(true);
    expect(refused("noreply@example.test\r\nBcc: victim@example.test")).toBe(true);
    expect(refused(`Platform\n<noreply@example.test>`)).toBe(true);
    expect(refused(`${"a".repeat(310)} <noreply@example.test>`)).toBe(true);
    expect(refused("Platform <noreply@example.test>")).toBe(false);
    expect(mailEnvSchema.safeParse({ MAIL_FROM: "x" }).error?.issues[0]?.message).toBe(
      "MAIL_FROM must be an e-mail address, or a name and an address as Name <address>",
    );
  });
});
