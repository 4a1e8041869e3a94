import { mkdir } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPlatform, readBanner, startPlatform } from "../support/running-platform.ts";
import { type HeadlessChromium, launchChromium } from "./chromium.ts";

/**
 * The Webhooks page in a real headless Chromium against `npm start`: an admin registers a
 * platform endpoint on a receiver on 127.0.0.1 (WEBHOOK_ALLOW_PRIVATE=true), copies the secret
 * shown once, sends a test event, and the receiver gets it signed; the delivery shows as
 * delivered. Screenshots land in test-results/screenshots/webhooks-*.png.
 */

const root = path.resolve(import.meta.dirname, "../..");
const screenshots = path.join(root, "test-results", "screenshots");

let platform: RunningPlatform;
let browser: HeadlessChromium;
let page: Page;
let receiver: Server;
let receiverUrl: string;
let banner: ReturnType<typeof readBanner>;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  [platform, browser] = await Promise.all([
    startPlatform({ WEBHOOK_ALLOW_PRIVATE: "true" }),
    launchChromium(),
  ]);
  banner = readBanner(platform.output());
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await browser?.close();
  receiver?.close();
  if (platform) expect(await platform.stop()).toBe(0);
});

const url = (pathname: string) => `${platform.dashboardUrl}${pathname}`;
const shoot = (name: string) =>
  page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true, animations: "disabled" });

describe("the webhooks page", () => {
  it("an admin registers a platform endpoint, sends a test event, and the receiver verifies it", async () => {
    await page.goto(url("/login"));
    await page.getByLabel("Email").fill(banner.adminEmail);
    await page.getByLabel("Password").fill(banner.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/overview$/);

    await page.getByRole("link", { name: "Webhooks" }).first().click();
    await page.waitForURL(/\/webhooks$/);
    await page.getByText("No webhook endpoints").waitFor();
    await shoot("webhooks-01-empty");

    await page.getByRole("button", { name: "New endpoint" }).first().click();
    const create = page.getByRole("dialog", { name: "New webhook endpoint" });
    await create.getByLabel("URL").fill(receiverUrl);
    await create.getByLabel("Description").fill("e2e receiver");
    await create.getByRole("button", { name: "Create endpoint" }).click();
    await create.getByText("Choose at least one event.").waitFor();
    await create.getByRole("checkbox", { name: /Monthly quota/ }).click();
    await create.getByRole("button", { name: "Create endpoint" }).click();
    const reveal = page.getByRole("dialog", { name: "Endpoint registered" });
    const secret = (await reveal.getByTestId("new-webhook-secret").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^whsec_/);
    await shoot("webhooks-02-secret");
    await reveal.getByRole("button", { name: "I have copied it" }).click();

    const row = page.locator("tr", { hasText: receiverUrl });
    await row.getByText("Enabled").waitFor();
    await row.getByRole("button", { name: `Actions for ${receiverUrl}` }).click();
    await page.getByRole("menuitem", { name: "Send test event" }).click();
    await page.getByText("Test event queued").waitFor();

    // the worker dispatches every minute: bounded wait for the receiver
    for (let i = 0; i < 150 && received.length === 0; i++) await sleep(1_000);
    expect(received).toHaveLength(1);
    const event = new Webhook(secret).verify(
      received[0]?.body as string,
      received[0]?.headers as Record<string, string>,
    );
    expect(event).toMatchObject({ type: "webhook.test" });

    await row.getByRole("button", { name: `Actions for ${receiverUrl}` }).click();
    await page.getByRole("menuitem", { name: "Deliveries…" }).click();
    const deliveries = page.getByRole("dialog", { name: "Deliveries" });
    await deliveries.getByText("Delivered").waitFor();
    await deliveries.getByText(/#1 .* HTTP 200/).waitFor();
    await shoot("webhooks-03-deliveries");
  });
});
