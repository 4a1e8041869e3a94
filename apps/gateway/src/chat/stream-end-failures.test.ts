import {
  type ChatLogWriter,
  countChatTokens,
  createInlineTextWork,
  createProviderRegistry,
  createStreamUsageCounter,
  estimateChatCompletionTokens,
  type ProviderResolver,
  type TextWork,
} from "@dsc/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { createCustomTier } from "../testing/custom-tier.ts";
import { createOrgWithKey, startTestGateway } from "../testing/start-test-gateway.ts";

/**
 * A fault in the work that ends a stream (counting its usage, recording its log) comes after
 * the headers were sent: the stream still ends, with one error event, and the call is
 * metered and settled with the best count known. Faults are injected through the gateway's
 * dependencies, the route runs as deployed.
 */
let t: TestDatabase;
const MODEL = "deepseek-chst-1.0";
const TOKENS_PER_MINUTE = 100_000;
// frozen: the token bucket refills nothing between a call and the probe that reads what it was charged
const clock = fakeClock(new Date("2026-03-02T10:00:00Z"));
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

/** a writer whose record throws, as a full queue or a bug would */
const throwingChatLogs: ChatLogWriter = {
  record() {
    throw new Error("chat log queue broke");
  },
  flush: async () => {},
  close: async () => {},
};

/** counting that fails (the tokenizer threw, the pool died), everything else as usual */
function failingCounter(): TextWork {
  return {
    ...createInlineTextWork(),
    countTokenUsage: async () => {
      throw new Error("tokenizer broke");
    },
  };
}

async function gatewayWith(deps: {
  chatLogs?: ChatLogWriter;
  textWork?: TextWork;
  providers?: ProviderResolver;
}) {
  const gateway = await startTestGateway({ db: t.db, clock, ...deps });
  cleanups.push(gateway.close);
  const tier = await createCustomTier(t.db, { requestsPerMinute: 100, tokensPerMinute: TOKENS_PER_MINUTE });
  const { secret } = await createOrgWithKey(t.db, { tier });
  return { gateway, secret };
}

const streamed = {
  model: MODEL,
  messages: [{ role: "user" as const, content: "Stream me, then fail at the end" }],
  stream: true,
};

function post(url: string, secret: string, body: object) {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The events of a whole event stream (the response ended: text() resolved). */
function eventsOf(text: string): string[] {
  return text
    .split("\n\n")
    .map((event) => event.trim())
    .filter((event) => event.length > 0);
}

/** Sends, reads to the end, and returns the call's UsageEvent once it is written. */
async function metered(
  gateway: Awaited<ReturnType<typeof gatewayWith>>["gateway"],
  send: () => Promise<Response>,
) {
  const before = gateway.metering.metered;
  const response = await send();
  const text = await response.text();
  await gateway.metering.whenMetered(before + 1);
  await gateway.metering.usage.flush();
  const requestId = response.headers.get("x-request-id") ?? "";
  const event = await t.db.usageEvent.findFirstOrThrow({ where: { requestId } });
  return { response, text, event };
}

/** What the organization has been charged so far, read from the next call's rate-limit headers. */
async function chargedSoFar(url: string, secret: string): Promise<number> {
  const probe = { model: MODEL, messages: [{ role: "user" as const, content: "probe" }], max_tokens: 1 };
  const response = await post(url, secret, probe);
  await response.text();
  const remaining = Number(response.headers.get("x-ratelimit-remaining-tokens"));
  return TOKENS_PER_MINUTE - remaining - estimateChatCompletionTokens(probe, 0);
}

function streamedUsage(text: string) {
  const counter = createStreamUsageCounter(streamed);
  for (const event of eventsOf(text)) {
    const data = event.replace(/^data: /, "");
    if (data.startsWith('{"id"')) counter.observe(JSON.parse(data));
  }
  return counter;
}

const ERROR_EVENT =
  /^data: \{"error":\{"message":"The server had an error while processing your request\.","type":"api_error","param":null,"code":"internal_error"\}\}$/;

describe("a stream whose end fails after its headers were sent", () => {
  it("ends with one error event when the chat log cannot be recorded, metered and settled with the count", async () => {
    const { gateway, secret } = await gatewayWith({ chatLogs: throwingChatLogs });
    const { response, text, event } = await metered(gateway, () => post(gateway.url, secret, streamed));

    expect(response.status).toBe(200);
    const events = eventsOf(text);
    expect(events.length).toBeGreaterThan(2);
    expect(events.at(-1)).toMatch(ERROR_EVENT);
    expect(events.filter((e) => e.startsWith('data: {"error"'))).toHaveLength(1);
    expect(text).not.toContain("[DONE]");

    const counted = await streamedUsage(text).count(createInlineTextWork());
    expect(counted.promptTokens).toBe(countChatTokens(streamed.messages));
    expect(event).toMatchObject({
      status: 500,
      promptTokens: counted.promptTokens,
      completionTokens: counted.completionTokens,
    });
    expect(await chargedSoFar(gateway.url, secret)).toBe(counted.promptTokens + counted.completionTokens);
    expect(gateway.logLines.join("")).toContain("chat log queue broke");
  });

  it("ends with one error event when counting fails, metered and settled with the estimate", async () => {
    // the built-in model counts its prompt on its own thread here (as deployed it uses the
    // gateway's text work), so that the stream starts and only the count at its end fails
    const builtInModel = createProviderRegistry({ defaultUpstream: null });
    const { gateway, secret } = await gatewayWith({ textWork: failingCounter(), providers: builtInModel });
    const { response, text, event } = await metered(gateway, () => post(gateway.url, secret, streamed));

    expect(response.status).toBe(200);
    const events = eventsOf(text);
    expect(events.at(-1)).toMatch(ERROR_EVENT);
    expect(events.filter((e) => e.startsWith('data: {"error"'))).toHaveLength(1);
    expect(text).not.toContain("[DONE]");

    const estimated = streamedUsage(text).estimate();
    expect(estimated.promptTokens).toBeGreaterThan(0);
    expect(estimated.completionTokens).toBeGreaterThan(0);
    expect(event).toMatchObject({
      status: 500,
      promptTokens: estimated.promptTokens,
      completionTokens: estimated.completionTokens,
    });
    expect(await chargedSoFar(gateway.url, secret)).toBe(estimated.promptTokens + estimated.completionTokens);
  });

  it("answers JSON as usual when logging fails after the answer, and meters it", async () => {
    const { gateway, secret } = await gatewayWith({ chatLogs: throwingChatLogs });
    const { response, text, event } = await metered(gateway, () =>
      post(gateway.url, secret, { ...streamed, stream: false }),
    );
    expect(response.status).toBe(200);
    const { usage } = JSON.parse(text) as { usage: { prompt_tokens: number; completion_tokens: number } };
    expect(event).toMatchObject({
      status: 200,
      promptTokens: usage.prompt_tokens,
      completionTokens: usage.completion_tokens,
    });
    expect(gateway.logLines.join("")).toContain("chat log queue broke");
  });
});
