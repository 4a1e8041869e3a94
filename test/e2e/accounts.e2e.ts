import { mkdir } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_API_KEY_SCOPES } from "@dsc/vocabulary";
import OpenAI from "openai";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPlatform, startPlatform } from "../support/running-platform.ts";
import { linksIn, type ReceivedMail, type SmtpInbox, startSmtpInbox } from "../support/smtp-inbox.ts";
import { type HeadlessChromium, launchChromium } from "./chromium.ts";

/**
 * Accounts of one's own in a real headless Chromium against `npm start`, e-mail through an SMTP
 * inbox in this process: signing up (SIGNUP=open), verifying the address from the e-mail, the
 * first key from Getting started called through the openai SDK; inviting a developer who makes
 * their account from the invitation; a password reset by e-mail; and SIGNUP=closed offering no
 * sign-up. The tests run in order and build on each other. Screenshots land in
 * test-results/screenshots/accounts-*.png.
 */

const root = path.resolve(import.meta.dirname, "../..");
const screenshots = path.join(root, "test-results", "screenshots");

const owner = {
  name: "Olive Owner",
  email: "olive.owner@e2e.example",
  password: "violet harbour crane tumbles 1987",
};
/** what the owner chooses in the password-reset test */
const ownerNewPassword = "copper lantern drifts over seven meadows";
const invitee = {
  name: "Dev Invitee",
  email: "dev.invitee@e2e.example",
  password: "quiet walrus juggles amber pebbles",
};

const shoot = (page: Page, name: string) =>
  page.screenshot({
    path: path.join(screenshots, `accounts-${name}.png`),
    fullPage: true,
    animations: "disabled",
  });

/** Calls the dashboard's API from the page, with the page's session cookie, as its scripts do. */
async function callProcedure(page: Page, procedure: string, input: unknown) {
  return page.evaluate(
    async ({ procedure, input }) => {
      const response = await fetch(`/api/trpc/${procedure}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: input }),
      });
      return { status: response.status, body: JSON.stringify(await response.json()) };
    },
    { procedure, input },
  );
}

/** The one link of an account e-mail, on the dashboard, with its secret in the fragment. */
function accountLink(mail: ReceivedMail, dashboardUrl: string, pathname: string): string {
  const links = linksIn(mail).filter((link) => link.startsWith(`${dashboardUrl}${pathname}#token=`));
  expect(links).toHaveLength(1);
  return links[0] as string;
}

describe("accounts of one's own (SIGNUP=open, e-mail through SMTP)", () => {
  let platform: RunningPlatform;
  let inbox: SmtpInbox;
  let browser: HeadlessChromium;
  let page: Page;
  let organizationName = "";
  const url = (pathname: string) => `${platform.dashboardUrl}${pathname}`;
  const mailTo = (email: string, subject: RegExp) =>
    inbox.waitForMessage((mail) => mail.envelope.to.includes(email) && subject.test(mail.subject), 30_000);

  async function signIn(email: string, password: string) {
    await page.goto(url("/login"));
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  async function signOut() {
    await page.goto(url("/account"));
    await page
      .getByRole("button", { name: /Account menu of/ })
      .first()
      .click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await page.waitForURL(/\/login$/);
  }

  beforeAll(async () => {
    await mkdir(screenshots, { recursive: true });
    inbox = await startSmtpInbox();
    [platform, browser] = await Promise.all([
      startPlatform({
        SIGNUP: "open",
        SMTP_URL: inbox.url,
        MAIL_FROM: "Platform <noreply@example.com>",
      }),
      launchChromium(),
    ]);
    page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await inbox?.close();
    if (platform) expect(await platform.stop()).toBe(0);
  });

  it("signs up, verifies the address from the e-mail, creates the first key and calls the API with it", async () => {
    await page.goto(url("/login"));
    await shoot(page, "01-login");
    await page.getByRole("link", { name: "Create an account" }).click();
    await page.waitForURL(/\/signup$/);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByLabel("Your name (optional)").fill(owner.name);
    await page.getByLabel("Password", { exact: true }).fill(owner.password);
    await page.getByLabel("Password, again").fill(owner.password);
    await shoot(page, "02-signup");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/getting-started$/, { timeout: 30_000 });
    await page.getByRole("heading", { name: "Getting started" }).waitFor();

    // before the address is verified: the button is off, and the API refuses a key too
    const createKey = page.getByRole("button", { name: "Create my first key" });
    await page.getByText("Verify your e-mail address first.").waitFor();
    expect(await createKey.isDisabled()).toBe(true);
    const me = await page.evaluate(async () => {
      const response = await fetch("/api/trpc/account.me");
      return (await response.json()) as { result: { data: { json: { organizationId: string } } } };
    });
    const organizationId = me.result.data.json.organizationId;
    expect(organizationId).toMatch(/^org_/);
    const refused = await callProcedure(page, "apiKeys.create", {
      organizationId,
      name: "too early",
      scopes: [...DEFAULT_API_KEY_SCOPES],
      allowPowerfulScopes: false,
      expiresIn: "90d",
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("Verify your e-mail address first");
    await shoot(page, "03-getting-started-unverified");

    const verification = await mailTo(owner.email, /Confirm your e-mail address/);
    expect(verification.from).toContain("noreply@example.com");
    await page.goto(accountLink(verification, platform.dashboardUrl, "/verify-email"));
    await page.getByText(`${owner.email} is verified.`).waitFor();
    // the secret leaves the address bar once read
    expect(new URL(page.url()).hash).toBe("");
    await shoot(page, "04-verified");
    await page.getByRole("link", { name: "Get started" }).click();
    await page.waitForURL(/\/getting-started$/);

    await createKey.click();
    const reveal = page.getByRole("dialog", { name: "My first key is ready" });
    // (not the announcement of page changes, also an alert)
    const refusal = page.locator('p[role="alert"]');
    await reveal
      .or(refusal)
      .first()
      .waitFor()
      .catch(async (error: unknown) => {
        await shoot(page, "05-first-key-missing");
        throw error;
      });
    if (await refusal.isVisible()) {
      await shoot(page, "05-first-key-refused");
      throw new Error(`the first key was refused: ${await refusal.textContent()}`);
    }
    const secret = (await reveal.getByTestId("new-secret").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^sk-/);
    await shoot(page, "05-first-key");
    await reveal.getByRole("button", { name: "I have copied it" }).click();
    await page.getByText("it will not be shown again").first().waitFor();

    const baseUrl = (await page.getByTestId("base-url").textContent())?.trim() ?? "";
    // GATEWAY_PUBLIC_URL names localhost; the calls stay on 127.0.0.1, the same gateway
    expect(new URL(baseUrl).port).toBe(new URL(platform.gatewayUrl).port);
    expect(new URL(baseUrl).pathname).toBe("/v1");
    const model = (
      await page.locator("p", { hasText: "Model:" }).locator("code").first().textContent()
    )?.trim();
    expect(model).toBeTruthy();
    // the examples now carry the real key
    expect(await page.getByTestId("example-curl").textContent()).toContain(secret);
    await shoot(page, "06-examples");

    const completion = await new OpenAI({
      baseURL: baseUrl,
      apiKey: secret,
      maxRetries: 0,
    }).chat.completions.create({
      model: model as string,
      messages: [{ role: "user", content: "Say hello." }],
    });
    expect(completion.choices[0]?.message.content).toBeTruthy();
  });

  it("the owner invites a developer, who creates their account from the e-mail's link and joins", async () => {
    await page.getByRole("link", { name: "My organization" }).first().click();
    await page.waitForURL(/\/organizations\/org_/);
    const members = page.locator("section", {
      has: page.getByRole("heading", { name: "Members", exact: true }),
    });
    await page.getByRole("button", { name: "Invite member" }).click();
    const invite = page.getByRole("dialog", { name: /^Invite to / });
    organizationName = ((await invite.getByRole("heading").first().textContent()) ?? "")
      .replace(/^Invite to /, "")
      .trim();
    expect(organizationName).not.toBe("");
    await invite.getByLabel("E-mail address").fill(invitee.email);
    // the role offered first is Developer
    await invite.getByText("Developer", { exact: true }).first().waitFor();
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await invite.getByText(`Invitation e-mailed to ${invitee.email}.`).waitFor();
    await shoot(page, "07-invited");
    await page.keyboard.press("Escape");

    const invitation = await mailTo(invitee.email, /invited you to/);
    expect(invitation.subject).toContain(organizationName);
    const link = accountLink(invitation, platform.dashboardUrl, "/invite");

    // the invitee: a browser of their own, signed out
    const second = await launchChromium();
    try {
      const theirs = await second.context.newPage();
      theirs.setDefaultTimeout(20_000);
      await theirs.goto(link);
      await theirs.getByRole("heading", { name: `Join ${organizationName}` }).waitFor();
      await theirs.getByText(`Create your account for ${invitee.email} to accept.`).waitFor();
      await theirs.getByLabel("Your name (optional)").fill(invitee.name);
      await theirs.getByLabel("Password", { exact: true }).fill(invitee.password);
      await theirs.getByLabel("Password, again").fill(invitee.password);
      await shoot(theirs, "08-invite");
      await theirs.getByRole("button", { name: "Create account and join" }).click();
      await theirs.waitForURL(/\/overview$/, { timeout: 30_000 });
      await theirs.getByText(organizationName, { exact: true }).first().waitFor();
      await shoot(theirs, "09-invitee-overview");

      await theirs.getByRole("link", { name: "My organization" }).first().click();
      await theirs.waitForURL(/\/organizations\/org_/);
      const theirRow = theirs.getByRole("row", { name: new RegExp(invitee.name) });
      await theirRow.getByText("Developer", { exact: true }).waitFor();
      await shoot(theirs, "10-invitee-organization");
    } finally {
      await second.close();
    }

    await page.reload();
    const row = members.getByRole("row", { name: new RegExp(invitee.name) });
    await row.getByText("Developer", { exact: true }).waitFor();
    await members
      .getByRole("row", { name: new RegExp(owner.name) })
      .getByText("Owner", { exact: true })
      .waitFor();
    await shoot(page, "11-owner-members");
  });

  it("resets a forgotten password by e-mail: the new one signs in, the old one no longer", async () => {
    await signOut();
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL(/\/forgot-password$/);
    await page.getByLabel("Email").fill(owner.email);
    await page.getByRole("button", { name: "Send me a link" }).click();
    await page.getByText("If an account exists for that address, we sent a link").waitFor();
    await shoot(page, "12-forgot-password");

    const reset = await mailTo(owner.email, /Reset your .* password/);
    await page.goto(accountLink(reset, platform.dashboardUrl, "/reset-password"));
    await page.getByLabel("New password", { exact: true }).fill(ownerNewPassword);
    await page.getByLabel("New password, again").fill(ownerNewPassword);
    await page.getByRole("button", { name: "Set the new password" }).click();
    await page.getByText(`The password of ${owner.email} is changed`).waitFor();
    await shoot(page, "13-password-changed");

    await signIn(owner.email, owner.password);
    // argon2id is slow on purpose: longer than poll's default second
    await expect
      .poll(() => page.locator("#sign-in-error").textContent(), { timeout: 15_000 })
      .toContain("do not match an account");
    await signIn(owner.email, ownerNewPassword);
    await page.waitForURL(/\/overview$/);
    await shoot(page, "14-signed-in-after-reset");
  });
});

describe("SIGNUP=closed", () => {
  let platform: RunningPlatform;
  let browser: HeadlessChromium;
  let page: Page;

  beforeAll(async () => {
    [platform, browser] = await Promise.all([startPlatform({ SIGNUP: "closed" }), launchChromium()]);
    page = await browser.context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    if (platform) expect(await platform.stop()).toBe(0);
  });

  it("offers no sign-up: the sign-in page has no link to it, and /signup says how to get an account", async () => {
    await page.goto(`${platform.dashboardUrl}/login`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("link", { name: "Create an account" }).count()).toBe(0);

    await page.goto(`${platform.dashboardUrl}/signup`);
    await page.getByText("Accounts here are made by administrators.").waitFor();
    expect(await page.locator("form").count()).toBe(0);
    expect(await page.getByLabel("Password").count()).toBe(0);
    await shoot(page, "15-signup-closed");
  });
});
