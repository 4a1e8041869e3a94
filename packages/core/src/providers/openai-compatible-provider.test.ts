import type { ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import type { ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import { errors, Pool } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import {
  answerJson,
  answerSse,
  completion,
  completionChunk,
  type FakeUpstream,
  neverAnswer,
  type Responder,
  refusingBaseUrl,
  sseEvents,
  startDroppingServer,
  startFakeUpstream,
  within,
} from "../../../../test/support/fake-upstream.ts";
import { isProviderError, type ProviderError } from "./chat-provider.ts";
import {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProvider,
  type OpenAICompatibleProviderOptions,
} from "./openai-compatible-provider.ts";

const API_KEY = "sk-test-Secret0123456789";
const UPSTREAM_SECRET = "UPSTREAM-SECRET-DETAIL";

const request: ChatCompletionRequest = {
  model: "upstream-model",
  messages: [{ role: "user", content: "Hello" }],
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function upstream(script: Responder | Responder[]): Promise<FakeUpstream> {
  const server = await startFakeUpstream(script);
  cleanups.push(() => server.close());
  return server;
}

function provider(
  baseUrl: string,
  options: Partial<OpenAICompatibleProviderOptions> = {},
): OpenAICompatibleProvider {
  const created = createOpenAICompatibleProvider({
    baseUrl,
    apiKey: API_KEY,
    timeouts: { connectMs: 1_000, firstByteMs: 2_000, totalMs: 5_000 },
    retries: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
  cleanups.push(() => created.close());
  return created;
}

function call(overrides: Partial<ChatCompletionRequest> = {}, signal = new AbortController().signal) {
  return { request: { ...request, ...overrides }, signal };
}

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  expect(error.message).not.toContain(API_KEY);
  expect(error.message).not.toContain(UPSTREAM_SECRET);
  expect(error.message).not.toContain("127.0.0.1");
  return error;
}

async function collect(chunks: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const all: ChatCompletionChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

const contentOf = (chunks: ChatCompletionChunk[]) =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");

describe("complete against an OpenAI-compatible upstream", () => {
  it("posts the request to /chat/completions with the bearer key and returns the completion", async () => {
    const server = await upstream(answerJson(200, { ...completion("Hi there"), extra_field: 1 }));
    const result = await provider(`${server.baseUrl}/`).complete(
      call({ temperature: 0.5, stream: true, stream_options: { include_usage: true } }),
    );

    expect(result.choices[0]?.message.content).toBe("Hi there");
    expect(result.usage?.total_tokens).toBe(7);
    expect((result as Record<string, unknown>).extra_field).toBe(1);
    const [received] = server.requests;
    expect(received?.method).toBe("POST");
    expect(received?.path).toBe("/v1/chat/completions");
    expect(received?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(received?.headers["content-type"]).toBe("application/json");
    // complete() never asks for a stream, whatever the client's request said
    expect(received?.body).toEqual({ ...request, temperature: 0.5 });
  });

  it("sends no Authorization header when there is no API key", async () => {
    const server = await upstream(answerJson(200, completion("ok")));
    await provider(server.baseUrl, { apiKey: null }).complete(call());
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("retries a 500 and returns the answer of the next attempt", async () => {
    const server = await upstream([
      answerJson(500, { error: { message: UPSTREAM_SECRET } }),
      answerJson(200, completion("second time")),
    ]);
    const result = await provider(server.baseUrl).complete(call());
    expect(result.choices[0]?.message.content).toBe("second time");
    expect(server.requests).toHaveLength(2);
  });

  it("reports unavailable after every attempt met a 503", async () => {
    const server = await upstream(answerJson(503, { error: { message: UPSTREAM_SECRET } }));
    const error = await providerError(provider(server.baseUrl).complete(call()));
    expect(error.kind).toBe("unavailable");
    expect(server.requests).toHaveLength(3);
  });

  it("reports bad_gateway after every attempt met another 5xx", async () => {
    const server = await upstream(answerJson(502, { error: { message: UPSTREAM_SECRET } }));
    const error = await providerError(
      provider(server.baseUrl, { retries: { attempts: 2 } }).complete(call()),
    );
    expect(error.kind).toBe("bad_gateway");
    expect(error.message).toContain("502");
    expect(server.requests).toHaveLength(2);
  });

  it("waits as long as a 429's Retry-After asks, up to the maximum delay", async () => {
    const server = await upstream([
      answerJson(429, { error: { message: UPSTREAM_SECRET } }, { "retry-after": "1" }),
      answerJson(200, completion("after the wait")),
    ]);
    const result = await provider(server.baseUrl, {
      retries: { attempts: 3, baseDelayMs: 1, maxDelayMs: 300 },
    }).complete(call());

    expect(result.choices[0]?.message.content).toBe("after the wait");
    const [first, second] = server.requests;
    // jitter alone would wait at most 1 ms; Retry-After (1 s) capped at 300 ms is what waited
    expect((second?.arrivedAt ?? 0) - (first?.arrivedAt ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it("reports unavailable when the upstream keeps answering 429", async () => {
    const server = await upstream(answerJson(429, {}, { "retry-after": "0" }));
    const error = await providerError(provider(server.baseUrl).complete(call()));
    expect(error.kind).toBe("unavailable");
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a 400 and names only its status", async () => {
    const server = await upstream(
      answerJson(400, { error: { message: `unknown parameter; key ${API_KEY} ${UPSTREAM_SECRET}` } }),
    );
    const error = await providerError(provider(server.baseUrl).complete(call()));
    expect(error.kind).toBe("bad_gateway");
    expect(error.message).toContain("400");
    expect(server.requests).toHaveLength(1);
  });

  it("retries a refused connection, then reports bad_gateway", async () => {
    const error = await providerError(provider(await refusingBaseUrl()).complete(call()));
    expect(error.kind).toBe("bad_gateway");
  });

  it("retries a connection the upstream closes before answering, as many times as allowed", async () => {
    const server = await startDroppingServer();
    cleanups.push(() => server.close());
    const error = await providerError(provider(server.baseUrl).complete(call()));
    expect(error.kind).toBe("bad_gateway");
    expect(server.connections()).toBe(3);
  });

  it("retries a connect timeout, then reports timeout", async () => {
    let connections = 0;
    // a connector that times out at once stands in for a host that never answers the handshake
    const pool = new Pool("http://127.0.0.1:9", {
      connect: (_options, callback) => {
        connections++;
        callback(new errors.ConnectTimeoutError(), null);
      },
    });
    cleanups.push(() => pool.destroy());
    const error = await providerError(
      provider("http://127.0.0.1:9/v1", { dispatcher: pool }).complete(call()),
    );
    expect(error.kind).toBe("timeout");
    expect(connections).toBe(3);
  });

  it("times out when the headers do not come within firstByteMs, without retrying", async () => {
    const server = await upstream(neverAnswer());
    const started = performance.now();
    const error = await providerError(
      provider(server.baseUrl, { timeouts: { firstByteMs: 150, totalMs: 5_000 } }).complete(call()),
    );
    expect(error.kind).toBe("timeout");
    // undici checks header timeouts on a coarse (about 1 s) timer; still far below totalMs
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(server.requests).toHaveLength(1);
  });

  it("times out when the whole call outlasts totalMs", async () => {
    const server = await upstream(neverAnswer());
    const error = await providerError(
      provider(server.baseUrl, { timeouts: { firstByteMs: 5_000, totalMs: 150 } }).complete(call()),
    );
    expect(error.kind).toBe("timeout");
  });

  it("reports bad_gateway for a body that is not JSON or not a completion", async () => {
    const notJson = await upstream((response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(`<html>${UPSTREAM_SECRET}</html>`);
    });
    const wrongShape = await upstream(answerJson(200, { hello: UPSTREAM_SECRET }));
    for (const server of [notJson, wrongShape]) {
      const error = await providerError(provider(server.baseUrl).complete(call()));
      expect(error.kind).toBe("bad_gateway");
      // nothing of it reached the client: another deployment may answer
      expect(error.failover).toEqual({
        reason: "broken_answer",
        retryAfterMs: null,
        isRetryableInPlace: false,
      });
    }
    expect(notJson.requests).toHaveLength(1);
  });

  it("tags a JSON body that breaks off mid-read for failover", async () => {
    const server = await upstream((response) => {
      response.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
      response.write('{"id":"chatcmpl-');
      setTimeout(() => response.destroy(), 20);
    });
    const error = await providerError(provider(server.baseUrl).complete(call()));
    expect(error.failover?.reason).toBe("broken_answer");
  });

  it("stops retrying at once when the caller aborts during a backoff", async () => {
    const server = await upstream(answerJson(503, {}, { "retry-after": "10" }));
    const controller = new AbortController();
    const pending = provider(server.baseUrl, { retries: { attempts: 3, maxDelayMs: 10_000 } }).complete(
      call({}, controller.signal),
    );
    await within(server.waitForRequests(1), 1_000, "the first attempt");
    const abortedAt = performance.now();
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - abortedAt).toBeLessThan(500);
    expect(server.requests).toHaveLength(1);
  });
});

describe("stream against an OpenAI-compatible upstream", () => {
  it("parses events split across TCP chunks, with CRLF line ends and comments, until [DONE]", async () => {
    const [first = "", second = "", third = ""] = [
      completionChunk("Hel"),
      completionChunk("lo, wörld"),
      completionChunk("!", "stop"),
    ].map((chunk) => JSON.stringify(chunk));
    const server = await upstream(
      answerSse(
        [
          ": keep-alive\r\n\r\n",
          `data: ${first}\r\n\r\n`,
          `data: ${second.slice(0, 20)}`,
          `${second.slice(20)}\r`,
          "\n\r\n",
          `event: message\ndata: ${third}\n\n`,
        ],
        { delayMs: 10 },
      ),
    );
    const chunks = await collect(
      await provider(server.baseUrl).stream(call({ stream_options: { include_usage: true } })),
    );

    expect(contentOf(chunks)).toBe("Hello, wörld!");
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
    const body = server.requests[0]?.body;
    expect(body?.stream).toBe(true);
    expect(body?.stream_options).toEqual({ include_usage: true });
    expect(server.requests[0]?.headers.accept).toBe("text/event-stream");
  });

  it("retries a 500 before the stream began", async () => {
    const server = await upstream([
      answerJson(500, {}),
      answerSse(sseEvents([completionChunk("ok", "stop")])),
    ]);
    const chunks = await collect(await provider(server.baseUrl).stream(call()));
    expect(contentOf(chunks)).toBe("ok");
    expect(server.requests).toHaveLength(2);
  });

  it("throws bad_gateway from the iterator when the connection breaks after the first chunk, without retrying", async () => {
    const server = await upstream(answerSse(sseEvents([completionChunk("partial")]), { afterLast: "hang" }));
    const iterator = (await provider(server.baseUrl).stream(call()))[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.choices[0]?.delta.content).toBe("partial");

    server.requests[0]?.response.socket?.destroy();
    const error = await providerError(iterator.next());
    expect(error.kind).toBe("bad_gateway");
    expect(server.requests).toHaveLength(1);
  });

  it("throws bad_gateway from the iterator on an error event", async () => {
    const server = await upstream(
      answerSse([
        ...sseEvents([completionChunk("partial")]),
        `data: ${JSON.stringify({ error: { message: UPSTREAM_SECRET } })}\n\n`,
      ]),
    );
    const iterator = (await provider(server.baseUrl).stream(call()))[Symbol.asyncIterator]();
    await iterator.next();
    expect((await providerError(iterator.next())).kind).toBe("bad_gateway");
  });

  it("rejects with bad_gateway when the upstream fails before its first chunk", async () => {
    const errorFirst = await upstream(answerSse([`data: {"error":{"message":"${UPSTREAM_SECRET}"}}\n\n`]));
    const emptyStream = await upstream(answerSse([]));
    const silent = await upstream((response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.flushHeaders();
    });
    for (const server of [errorFirst, emptyStream]) {
      const error = await providerError(provider(server.baseUrl).stream(call()));
      expect(error.kind).toBe("bad_gateway");
      // nothing of it reached the client: another deployment may answer
      expect(error.failover?.reason).toBe("broken_answer");
    }
    const timedOut = await providerError(
      provider(silent.baseUrl, { timeouts: { firstByteMs: 200, totalMs: 5_000 } }).stream(call()),
    );
    expect(timedOut.failover?.reason).toBe("timeout");
    expect(errorFirst.requests).toHaveLength(1);
  });

  it("closes the upstream request promptly when the consumer stops iterating", async () => {
    const server = await upstream(answerSse(sseEvents([completionChunk("one")]), { afterLast: "hang" }));
    const chunks = await provider(server.baseUrl).stream(call());
    for await (const chunk of chunks) {
      expect(chunk.choices[0]?.delta.content).toBe("one");
      break;
    }
    const received = server.requests[0];
    await within(received?.closed ?? Promise.reject(), 1_000, "the upstream request closing");
    expect(received?.response.writableFinished).toBe(false);
  });

  it("closes the upstream request promptly when the caller aborts mid-stream", async () => {
    const server = await upstream(answerSse(sseEvents([completionChunk("one")]), { afterLast: "hang" }));
    const controller = new AbortController();
    const iterator = (await provider(server.baseUrl).stream(call({}, controller.signal)))[
      Symbol.asyncIterator
    ]();
    await iterator.next();
    const waiting = iterator.next();
    controller.abort();

    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    await within(server.requests[0]?.closed ?? Promise.reject(), 1_000, "the upstream request closing");
    expect(server.requests[0]?.response.writableFinished).toBe(false);
  });

  describe("after [DONE]", () => {
    /** One chunk and `[DONE]`, then `after` with the response still open. */
    const doneThen =
      (after: (response: ServerResponse) => Promise<void> | void): Responder =>
      async (response) => {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write(`${sseEvents([completionChunk("one", "stop")]).join("")}data: [DONE]\n\n`);
        await after(response);
      };

    it("reads the body to its end, so that the next call reuses the connection", async () => {
      const ports: (number | undefined)[] = [];
      const server = await upstream(
        doneThen(async (response) => {
          ports.push(response.socket?.remotePort);
          await sleep(50);
          response.end();
        }),
      );
      // one connection: the second call waits for it, on the same socket unless it was closed
      const pool = new Pool(new URL(server.baseUrl).origin, { connections: 1 });
      cleanups.push(() => pool.close());
      const chat = provider(server.baseUrl, { dispatcher: pool });
      expect(contentOf(await collect(await chat.stream(call())))).toBe("one");
      expect(contentOf(await collect(await chat.stream(call())))).toBe("one");

      expect(ports).toHaveLength(2);
      expect(ports[0]).toBeGreaterThan(0);
      expect(ports[1]).toBe(ports[0]);
    });

    it("ends the stream at [DONE], while the body is still open, and closes the body soon after", async () => {
      // a comment every 20 ms keeps the silence timeout from closing it, and takes minutes to
      // make 64 KiB: only the second allowed after [DONE] can close it
      const server = await upstream(
        doneThen(async (response) => {
          while (!response.destroyed) {
            response.write(": ping\n\n");
            await sleep(20);
          }
        }),
      );
      const chunks = await collect(await provider(server.baseUrl).stream(call()));
      expect(contentOf(chunks)).toBe("one");
      const received = server.requests[0];
      expect(received?.response.destroyed).toBe(false);
      await within(received?.closed ?? Promise.reject(), 5_000, "the upstream request closing");
    });

    it("drops what follows, and closes a body that goes on past 64 KiB", async () => {
      const junk = `data: ${JSON.stringify(completionChunk("late"))}\n\n`.padEnd(1_024, " ");
      let sent = 0;
      const server = await upstream(
        doneThen(async (response) => {
          // at most 1 MiB, well past what is read after [DONE]
          for (; sent < 1_024 && !response.destroyed; sent += 1) {
            if (!response.write(junk)) await sleep(1);
          }
        }),
      );
      const chunks = await collect(await provider(server.baseUrl).stream(call()));
      expect(contentOf(chunks)).toBe("one");
      await within(server.requests[0]?.closed ?? Promise.reject(), 5_000, "the upstream request closing");
      // closed by the byte bound: without it the whole MiB would be read and dropped
      expect(sent).toBeLessThan(1_024);
    });
  });

  it("throws timeout from the iterator when the stream outlasts totalMs", async () => {
    const server = await upstream(answerSse(sseEvents([completionChunk("slow")]), { afterLast: "hang" }));
    const iterator = (
      await provider(server.baseUrl, { timeouts: { firstByteMs: 5_000, totalMs: 300 } }).stream(call())
    )[Symbol.asyncIterator]();
    await iterator.next();
    expect((await providerError(iterator.next())).kind).toBe("timeout");
  });
});
