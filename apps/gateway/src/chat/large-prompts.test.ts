import {
  cliActor,
  countChatTokens,
  countTokens,
  createProviderRegistry,
  readChatLogs,
  systemClock,
} from "@dsc/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import {
  answerJson,
  answerSse,
  completionChunk,
  type Responder,
  sseEvents,
  startFakeUpstream,
} from "../../../../test/support/fake-upstream.ts";
import { createCustomTier } from "../testing/custom-tier.ts";
import { createOrgWithKey, startTestGateway, TEST_KEYRING } from "../testing/start-test-gateway.ts";

/**
 * A large prompt is masked for the upstream, counted and sealed in the text-work pool, off
 * the event loop, with the same results as inline work: the upstream sees it masked, the
 * usage event has its exact count, the chat log holds it masked.
 */
let t: TestDatabase;
const MODEL = "deepseek-chst-1.0";
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function behind(script: Responder) {
  const upstream = await startFakeUpstream(script);
  const providers = createProviderRegistry({
    defaultUpstream: { baseUrl: upstream.baseUrl, apiKey: "sk-upstream", model: "upstream-model" },
    timeouts: { connectMs: 1_000, firstByteMs: 5_000, totalMs: 30_000 },
    retries: { attempts: 1 },
  });
  const gateway = await startTestGateway({ db: t.db, providers });
  cleanups.push(upstream.close, providers.close, gateway.close);
  // no token limit: the prompt alone is tens of thousands of tokens
  const tier = await createCustomTier(t.db, { requestsPerMinute: 100 });
  const { org, secret } = await createOrgWithKey(t.db, { tier });
  await t.db.organization.update({ where: { id: org.id }, data: { maskPiiUpstream: true } });
  await gateway.organizationChangesApplied();
  return { upstream, gateway, org, secret };
}

// ~240 KB of dotted text and e-mail addresses: well above the inline limit
const PROMPT = "a.a.a. write to jane.doe@example.com about -eyJ-eyJ ".repeat(5_000);
const messages = [
  { role: "system" as const, content: "Be brief." },
  { role: "user" as const, content: PROMPT },
];

async function send(
  setup: Awaited<ReturnType<typeof behind>>,
  body: Record<string, unknown>,
): Promise<{ response: Response; text: string; requestId: string }> {
  const response = await fetch(`${setup.gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${setup.secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages, ...body }),
  });
  return { response, text: await response.text(), requestId: response.headers.get("x-request-id") ?? "" };
}

async function leftBy(setup: Awaited<ReturnType<typeof behind>>, requestId: string) {
  await setup.gateway.metering.usage.flush();
  await setup.gateway.chatLogs.flush();
  const event = await t.db.usageEvent.findFirstOrThrow({ where: { requestId } });
  const logs = await readChatLogs(
    { db: t.db, clock: systemClock, keyring: TEST_KEYRING },
    { organizationId: setup.org.id, actor: cliActor("test"), purpose: "test" },
  );
  return { event, log: logs.find((log) => log.requestId === requestId) };
}

function expectMaskedUpstream(setup: Awaited<ReturnType<typeof behind>>) {
  const sent = JSON.stringify(setup.upstream.requests[0]?.body.messages);
  expect(sent).not.toContain("jane.doe@example.com");
  expect(sent).toContain("write to [EMAIL] about");
  // all of it, masked everywhere
  expect(sent.split("write to [EMAIL] about").length - 1).toBe(5_000);
}

describe("a large prompt", () => {
  it("as JSON: masked for the upstream, counted and logged in the pool", async () => {
    const content = "Noted.";
    const setup = await behind(
      answerJson(200, {
        id: "chatcmpl-upstream",
        object: "chat.completion",
        created: 1_700_000_000,
        model: "upstream-model",
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      }),
    );
    const pooledBefore = setup.gateway.textWork.stats.pooled;
    const before = setup.gateway.metering.metered;
    const { response, requestId } = await send(setup, {});
    expect(response.status).toBe(200);
    await setup.gateway.metering.whenMetered(before + 1);
    expectMaskedUpstream(setup);

    const { event, log } = await leftBy(setup, requestId);
    expect(event).toMatchObject({
      status: 200,
      promptTokens: countChatTokens(messages),
      completionTokens: countTokens(content),
    });
    expect(log?.promptTokens).toBe(countChatTokens(messages));
    const logged = JSON.stringify(log?.messages);
    expect(logged).toContain("write to [EMAIL] about");
    expect(logged).not.toContain("jane.doe@example.com");
    // masked for the upstream, counted, masked and sealed for the log
    expect(setup.gateway.textWork.stats.pooled).toBe(pooledBefore + 3);
  });

  it("streamed without a usage chunk: masked, counted and logged in the pool, ending with [DONE]", async () => {
    const pieces = ["Noted", ", jane.doe@example.com", "."];
    const setup = await behind(
      answerSse(sseEvents(pieces.map((piece, i) => completionChunk(piece, i === 2 ? "stop" : null)))),
    );
    const before = setup.gateway.metering.metered;
    const { response, text, requestId } = await send(setup, { stream: true });
    expect(response.status).toBe(200);
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    await setup.gateway.metering.whenMetered(before + 1);
    expectMaskedUpstream(setup);

    const { event, log } = await leftBy(setup, requestId);
    expect(event).toMatchObject({
      status: 200,
      promptTokens: countChatTokens(messages),
      completionTokens: countTokens(pieces.join("")),
    });
    expect(JSON.stringify(log?.messages)).toContain("write to [EMAIL] about");
    expect(log?.response).toEqual({ streamedText: "Noted, [EMAIL]." });
  });
});
