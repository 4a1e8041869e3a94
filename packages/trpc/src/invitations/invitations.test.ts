import { randomUUID } from "node:crypto";
import { createSmtpMailer } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { linksIn, startSmtpInbox } from "../../../../test/support/smtp-inbox.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

const STRONG = "violet kettle marches quietly 58";
let t: TestDatabase;
let w: DashboardWorld;
const newAddress = () => `joiner-${randomUUID()}@example.com`;
const tokenOf = (link: string | null | undefined) => new URL(link ?? "").hash.replace(/^#token=/, "");

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("invitations.preview and invitations.accept", () => {
  it("signed out: preview, then a new account joins with the invited role and a verified address", async () => {
    const email = newAddress();
    const sent = await w.as("OWNER").members.invite({ organizationId: w.ownOrg, email, role: "VIEWER" });
    const anonymous = w.caller(null);
    const token = tokenOf(sent.link);
    expect(await anonymous.invitations.preview({ token })).toMatchObject({
      email,
      role: "VIEWER",
      accountExists: false,
    });
    const weak = await anonymous.invitations
      .accept({ token, newAccount: { password: "password1234" } })
      .catch((e) => e);
    expect(weak).toMatchObject({ code: "BAD_REQUEST", cause: { param: "password" } });
    const accepted = await anonymous.invitations.accept({
      token,
      newAccount: { name: "Jo", password: STRONG },
    });
    expect(accepted).toMatchObject({ email, organizationId: w.ownOrg, role: "VIEWER", accountCreated: true });
    const user = await t.db.user.findUniqueOrThrow({ where: { email } });
    expect(user).toMatchObject({ name: "Jo", organizationId: w.ownOrg });
    expect(user.emailVerified).not.toBeNull();
    await expect(
      anonymous.invitations.accept({ token, newAccount: { password: STRONG } }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const members = await w.as("VIEWER").organizations.members({ organizationId: w.ownOrg });
    expect(members.find((m) => m.email === email)?.memberRole).toBe("VIEWER");
  });

  it("signed in: only the person invited joins; someone of no organization then works there", async () => {
    const nobody = await t.db.user.findUniqueOrThrow({ where: { id: w.nobody.id } });
    const sent = await w
      .as("ADMIN")
      .members.invite({ organizationId: w.otherOrg, email: nobody.email, role: "DEVELOPER" });
    const token = tokenOf(sent.link);
    await expect(
      w.caller(null).invitations.accept({ token, newAccount: { password: STRONG } }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: `Sign in as ${nobody.email} to accept.`,
    });
    await expect(w.as("VIEWER").invitations.accept({ token })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "This invitation is for another address; sign in as that person to accept it.",
    });
    await expect(w.as("ADMIN").invitations.accept({ token })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const accepted = await w.caller(w.nobody).invitations.accept({ token });
    expect(accepted).toMatchObject({ organizationId: w.otherOrg, role: "DEVELOPER", accountCreated: false });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: nobody.id } })).organizationId).toBe(w.otherOrg);
  });

  it("refuses a malformed or unknown link, and an oversized one before reading it", async () => {
    await expect(w.caller(null).invitations.preview({ token: "A".repeat(43) })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(w.caller(null).invitations.preview({ token: "A".repeat(101) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      w.caller(null).invitations.accept({ token: "A".repeat(43), newAccount: { password: "x".repeat(201) } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("with SMTP, the invitation goes by e-mail and its link works", async () => {
    const inbox = await startSmtpInbox();
    const mailer = createSmtpMailer({ smtpUrl: inbox.url, from: "Platform <noreply@example.test>" });
    try {
      const email = newAddress();
      const owner = w.caller(w.people.OWNER, {
        accounts: { signup: "invite", mailer, dashboardUrl: "https://dashboard.example.test" },
      });
      expect(
        await owner.members.invite({ organizationId: w.ownOrg, email, role: "DEVELOPER" }),
      ).toMatchObject({
        emailed: true,
        link: null,
      });
      const mail = await inbox.waitForMessage((m) => m.envelope.to.includes(email));
      const link = linksIn(mail).find((l) => l.startsWith("https://dashboard.example.test/invite#token="));
      expect(
        await w.caller(null).invitations.accept({ token: tokenOf(link), newAccount: { password: STRONG } }),
      ).toMatchObject({
        email,
        role: "DEVELOPER",
      });
    } finally {
      mailer.close();
      await inbox.close();
    }
  });
});
