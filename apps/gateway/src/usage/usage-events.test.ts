import {
  countChatTokens,
  countTokens,
  createProviderRegistry,
  insertUsageEvents,
  type UsageRecord,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import {
  answerJson,
  answerSse,
  completionChunk,
  type Responder,
  sseEvents,
  startFakeUpstream,
} from "../../../../test/support/fake-upstream.ts";
import { createCustomTier } from "../testing/custom-tier.ts";
import {
  createOrgWithKey,
  createOrgWithOAuthClient,
  jsonOf,
  requestAccessToken,
  startTestGateway,
} from "../testing/start-test-gateway.ts";

/** Every /v1 call becomes one UsageEvent, written in batches; tokens are settled however a call ends. */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clock = fakeClock(new Date("2026-02-10T09:30:00Z"));
const MODEL = "deepseek-chst-1.0";
const cleanups: (() => Promise<unknown>)[] = [];
/** while set, the gateway's usage inserts wait for it: an insert that hangs */
let insertGate: Promise<void> | null = null;
async function gatedInsert(db: Database, records: readonly UsageRecord[]) {
  if (insertGate) await insertGate;
  await insertUsageEvents(db, records);
}

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db, clock, metering: { usageInsert: gatedInsert } });
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => gateway.close());

const ask = (content = "Count my usage") => ({ model: MODEL, messages: [{ role: "user", content }] });

function post(url: string, secret: string, body: object, signal?: AbortSignal) {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

/** Sends, waits until the call is metered, writes the queue, and returns the call's UsageEvent. */
async function metered(target: typeof gateway, send: () => Promise<Response>, read = true) {
  const before = target.metering.metered;
  const response = await send();
  const body = read ? await response.text() : "";
  await target.metering.whenMetered(before + 1);
  await target.metering.usage.flush();
  const requestId = response.headers.get("x-request-id") ?? "";
  const event = await t.db.usageEvent.findFirstOrThrow({ where: { requestId } });
  return { response, body, event };
}

/** A gateway in front of a scripted OpenAI-compatible upstream. */
async function behind(script: Responder) {
  const upstream = await startFakeUpstream(script);
  const providers = createProviderRegistry({
    defaultUpstream: { baseUrl: upstream.baseUrl, apiKey: null, model: "upstream-model" },
    timeouts: { connectMs: 1_000, firstByteMs: 1_000, totalMs: 10_000 },
    retries: { attempts: 1 },
  });
  const target = await startTestGateway({ db: t.db, clock, providers });
  cleanups.push(upstream.close, providers.close, target.close);
  return target;
}

describe("one UsageEvent per /v1 call", () => {
  it("for a JSON completion: caller, model, endpoint, status, latency, tokens, end user, time", async () => {
    const { org, key, secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const { response, body, event } = await metered(gateway, () =>
      post(gateway.url, secret, { ...ask(), user: "end-user-7" }),
    );
    const usage = JSON.parse(body).usage;
    expect(event).toMatchObject({
      requestId: response.headers.get("x-request-id"),
      organizationId: org.id,
      apiKeyId: key.id,
      oauthClientId: null,
      modelId: MODEL,
      endpoint: "/v1/chat/completions",
      status: 200,
      promptTokens: usage.prompt_tokens,
      completionTokens: usage.completion_tokens,
      cached: false,
      endUserId: "end-user-7",
      createdAt: clock.now(),
    });
    expect(event.latencyMs).toBeGreaterThanOrEqual(0);
    expect(event.latencyMs).toBeLessThan(10_000);
  });

  it("for a stream: the usage chunk's count, or the streamed text counted", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const whole = await jsonOf<{ usage: { prompt_tokens: number; completion_tokens: number } }>(
      await post(gateway.url, secret, ask("Stream me")),
    );
    const withUsage = await metered(gateway, () =>
      post(gateway.url, secret, {
        ...ask("Stream me"),
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const counted = await metered(gateway, () =>
      post(gateway.url, secret, { ...ask("Stream me"), stream: true }),
    );
    for (const { event } of [withUsage, counted]) {
      expect(event).toMatchObject({
        status: 200,
        promptTokens: whole.usage.prompt_tokens,
        completionTokens: whole.usage.completion_tokens,
      });
    }
    expect(counted.body).not.toContain('"usage":{');
  });

  it("for refusals and errors too, with no tokens", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "free" });
    const invalid = await metered(gateway, () => post(gateway.url, secret, { model: MODEL, messages: [] }));
    expect(invalid.event).toMatchObject({ status: 400, modelId: null, promptTokens: 0, completionTokens: 0 });
    const unknown = await metered(gateway, () => post(gateway.url, secret, { ...ask(), model: "nope" }));
    expect(unknown.event).toMatchObject({ status: 404, modelId: "nope", completionTokens: 0 });
    const list = await metered(gateway, () =>
      fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${secret}` } }),
    );
    expect(list.event).toMatchObject({ status: 200, endpoint: "/v1/models", modelId: null });
    for (let i = 0; i < 2; i++) await post(gateway.url, secret, ask()).then((r) => r.text());
    const limited = await metered(gateway, () => post(gateway.url, secret, ask()));
    expect(limited.event).toMatchObject({ status: 429, promptTokens: 0, completionTokens: 0 });
  });

  it("for OAuth access tokens, under the client", async () => {
    const { org, client, secret } = await createOrgWithOAuthClient(t.db);
    const token = await requestAccessToken(gateway.url, { clientId: client.id, secret });
    const { event } = await metered(gateway, () =>
      fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(event).toMatchObject({ organizationId: org.id, apiKeyId: null, oauthClientId: client.id });
  });

  it("never makes a request wait for the database insert", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    let release: () => void = () => {};
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    insertGate = blocked;
    try {
      const flushing = gateway.metering.usage.flush(); // an insert that hangs until released
      const responses = await Promise.all(Array.from({ length: 3 }, () => post(gateway.url, secret, ask())));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      release();
      await flushing;
    } finally {
      insertGate = null;
    }
  });
});

describe("token settlement however a call ends", () => {
  const tokenTier = () => createCustomTier(t.db, { requestsPerMinute: 100, tokensPerMinute: 10_000 });
  const remainingTokens = (response: Response) =>
    Number(response.headers.get("x-ratelimit-remaining-tokens"));

  it("gives the whole reservation back when the upstream fails before answering", async () => {
    const target = await behind(answerJson(500, { error: { message: "boom" } }));
    const { secret } = await createOrgWithKey(t.db, { tier: await tokenTier() });
    const failed = await metered(target, () => post(target.url, secret, { ...ask(), max_tokens: 100 }));
    expect(failed.event).toMatchObject({ status: 502, promptTokens: 0, completionTokens: 0 });
    const reserved = 10_000 - remainingTokens(failed.response);
    const next = await post(target.url, secret, { ...ask(), max_tokens: 100 });
    expect(remainingTokens(next)).toBe(10_000 - reserved);
  });

  it("charges what was streamed when the client leaves mid-stream", async () => {
    const target = await behind(
      answerSse(sseEvents([completionChunk("Hello there friend")]), { afterLast: "hang" }),
    );
    const { secret } = await createOrgWithKey(t.db, { tier: await tokenTier() });
    const abort = new AbortController();
    const { response, event } = await metered(
      target,
      async () => {
        const streaming = await post(
          target.url,
          secret,
          { ...ask(), stream: true, max_tokens: 100 },
          abort.signal,
        );
        const reader = streaming.body?.getReader();
        await reader?.read(); // the first chunk arrived
        abort.abort();
        return streaming;
      },
      false,
    );
    const prompt = countChatTokens(ask().messages as never);
    expect(event).toMatchObject({
      status: 499,
      promptTokens: prompt,
      completionTokens: countTokens("Hello there friend"),
    });
    const reserved = 10_000 - remainingTokens(response);
    const next = await post(target.url, secret, { ...ask(), stream: true, max_tokens: 100 });
    expect(remainingTokens(next)).toBe(10_000 - (prompt + countTokens("Hello there friend")) - reserved);
    next.body?.cancel();
  });

  it("charges what was streamed, and records the failure, when the upstream breaks mid-stream", async () => {
    const breaks: Responder = (response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(sseEvents([completionChunk("partial answer")])[0]);
      setImmediate(() => response.destroy());
    };
    const target = await behind(breaks);
    const { secret } = await createOrgWithKey(t.db, { tier: await tokenTier() });
    const { event, body } = await metered(target, () => post(target.url, secret, { ...ask(), stream: true }));
    expect(body).toContain('"code":"upstream_error"');
    expect(event).toMatchObject({ status: 502, completionTokens: countTokens("partial answer") });
  });
});
