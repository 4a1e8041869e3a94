import { createProviderRegistry } from "@dsc/core";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import {
  answerJson,
  answerSse,
  completion,
  completionChunk,
  neverAnswer,
  type Responder,
  sseEvents,
  startFakeUpstream,
  within,
} from "../../../../test/support/fake-upstream.ts";
import { createOrgWithKey, startTestGateway } from "../testing/start-test-gateway.ts";

/** The gateway in front of a real (fake) OpenAI-compatible server over HTTP. */
let t: TestDatabase;
let secret: string;
const MODEL = "deepseek-chst-1.0";
const UPSTREAM_KEY = "sk-upstream-secret-never-leaks";
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  // pro: these files send more than the free tier's 5 requests a minute
  secret = (await createOrgWithKey(t.db, { tier: "pro" })).secret;
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function behind(script: Responder | Responder[], options: { keepAliveMs?: number } = {}) {
  const upstream = await startFakeUpstream(script);
  const providers = createProviderRegistry({
    defaultUpstream: { baseUrl: upstream.baseUrl, apiKey: UPSTREAM_KEY, model: "upstream-model" },
    timeouts: { connectMs: 1_000, firstByteMs: 300, totalMs: 10_000 },
    retries: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
  });
  const gateway = await startTestGateway({
    db: t.db,
    providers,
    gateway: { streamKeepAliveMs: options.keepAliveMs ?? 15_000 },
  });
  cleanups.push(upstream.close, providers.close, gateway.close);
  const openai = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  return { upstream, gateway, openai };
}

const ask = { model: MODEL, messages: [{ role: "user" as const, content: "hi" }] };

function rawStream(url: string, signal?: AbortSignal) {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ ...ask, stream: true }),
    signal,
  });
}

describe("through an OpenAI-compatible upstream", () => {
  it("passes a JSON completion through under the public model id, with the upstream key and name", async () => {
    const { upstream, openai } = await behind(answerJson(200, completion("from upstream")));
    const result = await openai.chat.completions.create(ask);
    expect(result.choices[0]?.message.content).toBe("from upstream");
    expect(result.model).toBe(MODEL);
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(upstream.requests[0]?.body.model).toBe("upstream-model");
  });

  it("streams upstream chunks as they arrive and ends with [DONE]", async () => {
    const pieces = sseEvents([
      completionChunk("Hello"),
      completionChunk(" world"),
      completionChunk("!", "stop"),
    ]);
    const { openai } = await behind(answerSse(pieces, { delayMs: 20 }));
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    const received: string[] = [];
    for await (const chunk of stream) {
      expect(chunk.model).toBe(MODEL);
      received.push(chunk.choices[0]?.delta.content ?? "");
    }
    expect(received).toEqual(["Hello", " world", "!"]);
  });

  it("keeps an idle stream alive with single ':' comment lines", async () => {
    const pieces = sseEvents([completionChunk("a"), completionChunk("b", "stop")]);
    const { gateway } = await behind(answerSse(pieces, { delayMs: 200 }), { keepAliveMs: 40 });
    const text = await (await rawStream(gateway.url)).text();
    expect(text).toMatch(/\n: keep-alive\ndata: /);
    expect(text).not.toContain(": keep-alive\n\n");
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("ends a stream that fails after the first byte with one error event, which the SDK raises", async () => {
    const breaksAfterOne: Responder = (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(sseEvents([completionChunk("partial")])[0]);
      setTimeout(() => response.destroy(), 30);
    };
    const { openai, gateway } = await behind(breaksAfterOne);
    const stream = await openai.chat.completions.create({ ...ask, stream: true });
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
    })().catch((error) => error);
    expect(received).toEqual(["partial"]);
    expect(failure).toBeInstanceOf(OpenAI.APIError);

    const text = await (await rawStream(gateway.url)).text();
    const events = text.trim().split("\n\n");
    expect(events.at(-1)).toMatch(
      /^data: \{"error":\{"message":".+","type":"api_error","param":null,"code":"upstream_error"\}\}$/,
    );
    expect(text).not.toContain("[DONE]");
  });

  it("aborts the upstream call when the client disconnects mid-stream", async () => {
    const hangsAfterOne = answerSse(sseEvents([completionChunk("first")]), { afterLast: "hang" });
    const { upstream, gateway } = await behind(hangsAfterOne);
    const abort = new AbortController();
    const response = await rawStream(gateway.url, abort.signal);
    const reader = response.body?.getReader();
    await reader?.read();
    abort.abort();
    await within(
      upstream.requests[0]?.closed ?? Promise.reject(new Error("no request")),
      1_000,
      "upstream close",
    );
  });

  it("aborts the upstream call when a client waiting for JSON disconnects", async () => {
    const { upstream, openai } = await behind(neverAnswer());
    const abort = new AbortController();
    const pending = openai.chat.completions.create(ask, { signal: abort.signal }).catch((error) => error);
    await upstream.waitForRequests(1);
    abort.abort();
    await pending;
    await within(
      upstream.requests[0]?.closed ?? Promise.reject(new Error("no request")),
      1_000,
      "upstream close",
    );
  });

  it.each([
    [
      "500 from upstream",
      answerJson(500, { error: { message: "upstream internal detail" } }),
      502,
      "upstream_error",
    ],
    [
      "503 from upstream",
      answerJson(503, { error: { message: "upstream overloaded detail" } }),
      503,
      "upstream_unavailable",
    ],
    ["no headers in time", neverAnswer(), 504, "upstream_timeout"],
  ] as const)(
    "maps %s to %i without leaking the upstream's body or key",
    async (_name, responder, status, code) => {
      const { openai, upstream } = await behind(responder);
      const error = await openai.chat.completions.create(ask).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(status);
      expect(error.code).toBe(code);
      const text = JSON.stringify(error.error);
      expect(text).not.toContain("detail");
      expect(text).not.toContain(UPSTREAM_KEY);
      expect(text).not.toContain(upstream.baseUrl);
    },
  );

  it("retries a 5xx before the first byte", async () => {
    const { openai, upstream } = await behind([
      answerJson(502, {}),
      answerJson(200, completion("second try")),
    ]);
    const result = await openai.chat.completions.create(ask);
    expect(result.choices[0]?.message.content).toBe("second try");
    expect(upstream.requests).toHaveLength(2);
  });
});
