import { mkdir } from "node:fs/promises";
import path from "node:path";
import OpenAI from "openai";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerJson, completion, type FakeUpstream, startFakeUpstream } from "../support/fake-upstream.ts";
import { type RunningPlatform, readBanner, startPlatform } from "../support/running-platform.ts";
import { type HeadlessChromium, launchChromium } from "./chromium.ts";

/**
 * The models page in a real headless Chromium against `npm start`: an admin adds a model, gives
 * it a deployment on a fake OpenAI-compatible upstream (its key named in UPSTREAM_API_KEYS),
 * sees the gateway serve it from there, then disables it and sees the gateway refuse it.
 * Screenshots land in test-results/screenshots/models-*.png.
 */

const root = path.resolve(import.meta.dirname, "../..");
const screenshots = path.join(root, "test-results", "screenshots");
const UPSTREAM_KEY = "e2e-upstream-secret-0123456789";

let platform: RunningPlatform;
let browser: HeadlessChromium;
let page: Page;
let upstream: FakeUpstream;
let banner: ReturnType<typeof readBanner>;

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true });
  upstream = await startFakeUpstream(answerJson(200, completion("Served by the e2e upstream.")));
  [platform, browser] = await Promise.all([
    startPlatform({ UPSTREAM_API_KEYS: JSON.stringify({ "e2e-upstream": UPSTREAM_KEY }) }),
    launchChromium(),
  ]);
  banner = readBanner(platform.output());
  page = await browser.context.newPage();
  page.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await browser?.close();
  await upstream?.close();
  if (platform) expect(await platform.stop()).toBe(0);
});

const url = (pathname: string) => `${platform.dashboardUrl}${pathname}`;
const shoot = (name: string) =>
  page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true, animations: "disabled" });
const gateway = () =>
  new OpenAI({ apiKey: banner.demoApiKey, baseURL: `${platform.gatewayUrl}/v1`, maxRetries: 0 });

/** The gateway's status for GET /v1/models/{id}, asked until it is `expected` or the time is up. */
async function modelStatusWithin(modelId: string, expected: number, ms: number): Promise<number> {
  const started = Date.now();
  const status = async () => {
    const response = await fetch(`${platform.gatewayUrl}/v1/models/${modelId}`, {
      headers: { authorization: `Bearer ${banner.demoApiKey}` },
    });
    await response.arrayBuffer();
    return response.status;
  };
  let last = await status();
  while (last !== expected && Date.now() - started < ms) last = await status();
  return last;
}

describe("the models page", () => {
  it("an admin creates a model with a deployment on an upstream, the gateway serves it, and disabling it ends that", async () => {
    await page.goto(url("/login"));
    await page.getByLabel("Email").fill(banner.adminEmail);
    await page.getByLabel("Password").fill(banner.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/overview$/);

    await page.getByRole("link", { name: "Models" }).first().click();
    await page.waitForURL(/\/models$/);
    await page.getByRole("link", { name: "deepseek-chst-1.0" }).waitFor();
    await shoot("models-01-list");

    // a bad price is reported next to its field, in a sentence
    await page.getByRole("button", { name: "New model" }).first().click();
    const create = page.getByRole("dialog", { name: "New model" });
    await create.getByLabel("Model id").fill("e2e-chat");
    await create.getByLabel("Input price (USD per million tokens)").fill("-1");
    await create.getByRole("button", { name: "Create model" }).click();
    await create.getByText("Enter 0 or more.").waitFor();
    await shoot("models-02-create-validation");
    await create.getByLabel("Input price (USD per million tokens)").fill("0.5");
    await create.getByLabel("Output price (USD per million tokens)").fill("1.5");
    await create.getByRole("checkbox", { name: /^Free/ }).click();
    await create.getByRole("button", { name: "Create model" }).click();
    await page.waitForURL(/\/models\/e2e-chat$/);
    await page.getByRole("heading", { name: "e2e-chat" }).waitFor();
    await page.getByText("No deployments").waitFor();

    await page.getByRole("button", { name: "Add deployment" }).click();
    const add = page.getByRole("dialog", { name: "Add deployment" });
    await add.getByLabel("Base URL").fill(upstream.baseUrl);
    await add.getByLabel("Upstream model").fill("fake-served-model");
    // a key pasted where its name goes is refused before it reaches the database
    await add.getByLabel("Key reference").fill("sk-live-0123456789abcdefghijklmnop");
    await add.getByRole("button", { name: "Add deployment" }).click();
    await add.getByText("That looks like a key itself.", { exact: false }).waitFor();
    await add.getByLabel("Key reference").fill("e2e-upstream");
    await add.getByRole("button", { name: "Add deployment" }).click();
    const deployments = page.getByRole("table", { name: "Deployments" });
    await deployments.getByText(upstream.baseUrl).waitFor();
    await deployments
      .getByText(/Healthy|Unknown/)
      .first()
      .waitFor();
    await shoot("models-03-deployment");

    // the gateway routes the model to its deployment, with the key its name points to
    expect(await modelStatusWithin("e2e-chat", 200, 3_000)).toBe(200);
    const answer = await gateway().chat.completions.create({
      model: "e2e-chat",
      messages: [{ role: "user", content: "Hello" }],
    });
    expect(answer.choices[0]?.message.content).toBe("Served by the e2e upstream.");
    expect(answer.model).toBe("e2e-chat");
    const received = upstream.requests.at(-1);
    expect(received?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(received?.body.model).toBe("fake-served-model");

    // disabling asks first, then the gateway refuses the model within a second or two
    await page.getByRole("button", { name: "Disable", exact: true }).click();
    const confirm = page.getByRole("dialog", { name: "Disable e2e-chat?" });
    await confirm.getByText(/404 model_not_found/).waitFor();
    await shoot("models-04-disable-confirmation");
    await confirm.getByRole("button", { name: "Disable model" }).click();
    await page.getByText("Disabled", { exact: true }).first().waitFor();
    expect(await modelStatusWithin("e2e-chat", 404, 3_000)).toBe(404);
    await expect(
      gateway().chat.completions.create({
        model: "e2e-chat",
        messages: [{ role: "user", content: "Hello" }],
      }),
    ).rejects.toMatchObject({ status: 404, code: "model_not_found" });
    await shoot("models-05-disabled");

    await page.getByRole("link", { name: "Models" }).first().click();
    await page.locator("tr", { hasText: "e2e-chat" }).getByText("Disabled").waitFor();
    await shoot("models-06-list-after");
  });
});
