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
import { SPECIAL_TOKEN_TEXTS } from "../../../../test/support/special-token-texts.ts";
import { createCustomTier } from "../testing/custom-tier.ts";
import { createOrgWithKey, startTestGateway, TEST_KEYRING } from "../testing/start-test-gateway.ts";

/**
 * Text that spells a tokenizer's special tokens is text like any other: a prompt holding it is
 * answered, counted, logged and metered on every chat path (gpt-tokenizer refuses it unless
 * told to take it as text, which once made these calls fail with 500, or a stream never end).
 */
const EVERY_SPECIAL_TOKEN = `Quote these: ${SPECIAL_TOKEN_TEXTS.join(" and ")}.`;

let t: TestDatabase;
let local: Awaited<ReturnType<typeof startTestGateway>>;
let tier: string;
const MODEL = "deepseek-chst-1.0";
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  local = await startTestGateway({ db: t.db });
  tier = await createCustomTier(t.db, { requestsPerMinute: 1_000 });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await local.close();
});

type Gateway = typeof local;

/** A gateway in front of a fake OpenAI-compatible upstream. */
async function behind(script: Responder): Promise<Gateway> {
  const upstream = await startFakeUpstream(script);
  const providers = createProviderRegistry({
    defaultUpstream: { baseUrl: upstream.baseUrl, apiKey: "sk-upstream", model: "upstream-model" },
    timeouts: { connectMs: 1_000, firstByteMs: 2_000, totalMs: 10_000 },
    retries: { attempts: 1 },
  });
  const gateway = await startTestGateway({ db: t.db, providers });
  cleanups.push(upstream.close, providers.close, gateway.close);
  return gateway;
}

const messagesOf = (content: string) => [{ role: "user" as const, content }];

/** Sends one call of a new organization's and returns all it left: answer, UsageEvent, chat logs. */
async function call(gateway: Gateway, body: Record<string, unknown>, org?: { id: string; secret: string }) {
  const owner = org ?? (await newOrganization());
  const before = gateway.metering.metered;
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${owner.secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, ...body }),
  });
  const text = await response.text();
  await gateway.metering.whenMetered(before + 1);
  await gateway.metering.usage.flush();
  await gateway.chatLogs.flush();
  const requestId = response.headers.get("x-request-id") ?? "";
  const event = await t.db.usageEvent.findFirst({ where: { requestId } });
  const logs = await readChatLogs(
    { db: t.db, clock: systemClock, keyring: TEST_KEYRING },
    { organizationId: owner.id, actor: cliActor("test"), purpose: "test" },
  );
  return { response, text, event, logs: logs.filter((log) => log.requestId === requestId), owner };
}

async function newOrganization() {
  const { org, secret } = await createOrgWithKey(t.db, { tier });
  return { id: org.id, secret };
}

/** The streamed text of an event stream that ended with [DONE]. */
function streamedText(text: string): string {
  const events = text.split("\n\n").filter((event) => event.startsWith("data: "));
  expect(events.at(-1)).toBe("data: [DONE]");
  return events
    .slice(0, -1)
    .map((event) => JSON.parse(event.slice(6)) as { choices: { delta: { content?: string } }[] })
    .map((chunk) => chunk.choices[0]?.delta.content ?? "")
    .join("");
}

describe("a prompt holding special-token text", () => {
  it.each(SPECIAL_TOKEN_TEXTS)(
    "%s: the local model answers JSON, counted, logged and metered",
    async (special) => {
      const messages = messagesOf(`Repeat ${special} as it is`);
      const { response, text, event, logs } = await call(local, { messages });
      expect(response.status).toBe(200);
      const { usage } = JSON.parse(text) as { usage: { prompt_tokens: number; completion_tokens: number } };
      expect(usage.prompt_tokens).toBe(countChatTokens(messages));
      expect(event).toMatchObject({
        status: 200,
        promptTokens: usage.prompt_tokens,
        completionTokens: usage.completion_tokens,
      });
      expect(logs).toHaveLength(1);
      expect(JSON.stringify(logs[0]?.messages)).toContain(special);
    },
  );

  it("the local model streams it, counted by the gateway, logged and metered", async () => {
    const messages = messagesOf(EVERY_SPECIAL_TOKEN);
    const { response, text, event, logs } = await call(local, { messages, stream: true });
    expect(response.status).toBe(200);
    const answer = streamedText(text);
    expect(event).toMatchObject({
      status: 200,
      promptTokens: countChatTokens(messages),
      completionTokens: countTokens(answer),
    });
    expect(logs).toHaveLength(1);
    expect(JSON.stringify(logs[0]?.messages)).toContain("<|endofprompt|>");
  });

  it("the local model streams it with its own usage chunk", async () => {
    const messages = messagesOf(EVERY_SPECIAL_TOKEN);
    const { response, text, event } = await call(local, {
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.status).toBe(200);
    streamedText(text);
    const usageEvent = text.split("\n\n").find((e) => e.includes('"usage":{'));
    const usage = JSON.parse(usageEvent?.slice(6) ?? "{}").usage as { prompt_tokens: number };
    expect(usage.prompt_tokens).toBe(countChatTokens(messages));
    expect(event).toMatchObject({ status: 200, promptTokens: usage.prompt_tokens });
  });

  it("an upstream's JSON answer without usage is counted by the gateway, logged and metered", async () => {
    const content = "Here: <|im_end|> <|endoftext|>";
    const gateway = await behind(
      answerJson(200, {
        id: "chatcmpl-upstream",
        object: "chat.completion",
        created: 1_700_000_000,
        model: "upstream-model",
        choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      }),
    );
    const messages = messagesOf(EVERY_SPECIAL_TOKEN);
    const { response, event, logs } = await call(gateway, { messages });
    expect(response.status).toBe(200);
    expect(event).toMatchObject({
      status: 200,
      promptTokens: countChatTokens(messages),
      completionTokens: countTokens(content),
    });
    expect(logs).toHaveLength(1);
    expect(JSON.stringify(logs[0]?.response)).toContain("<|im_end|>");
  });

  it("an upstream's stream without a usage chunk ends with [DONE], counted, logged and metered", async () => {
    const pieces = ["Here: <|fim_prefix|>", " and <|endoftext|>", "."];
    const gateway = await behind(
      answerSse(sseEvents(pieces.map((piece, i) => completionChunk(piece, i === 2 ? "stop" : null)))),
    );
    const messages = messagesOf(EVERY_SPECIAL_TOKEN);
    const { response, text, event, logs } = await call(gateway, { messages, stream: true });
    expect(response.status).toBe(200);
    expect(streamedText(text)).toBe(pieces.join(""));
    expect(event).toMatchObject({
      status: 200,
      promptTokens: countChatTokens(messages),
      completionTokens: countTokens(pieces.join("")),
    });
    expect(logs).toHaveLength(1);
  });

  it("a cache hit answers it again, logged and metered as cached", async () => {
    const org = await newOrganization();
    const body = { messages: messagesOf(EVERY_SPECIAL_TOKEN), temperature: 0 };
    const miss = await call(local, body, org);
    expect(miss.response.headers.get("x-cache")).toBe("miss");
    const hit = await call(local, body, org);
    expect(hit.response.status).toBe(200);
    expect(hit.response.headers.get("x-cache")).toBe("hit");
    expect(JSON.parse(hit.text).choices).toEqual(JSON.parse(miss.text).choices);
    expect(hit.event).toMatchObject({ status: 200, cached: true, promptTokens: 0, completionTokens: 0 });
    expect(hit.logs).toHaveLength(1);
    expect(hit.logs[0]?.promptTokens).toBe(countChatTokens(body.messages));
  });
});
