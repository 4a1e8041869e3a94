import { type ClientRequest, get, type IncomingMessage } from "node:http";
import { PassThrough } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { ChatCompletionChunk } from "@dsc/api-client";
import Fastify, { type FastifyReply } from "fastify";
import { describe, expect, it } from "vitest";
import { sendEventStream, untilCut } from "./event-stream.ts";

const chunk = {
  id: "chatcmpl-test",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }],
} as ChatCompletionChunk;

/** A reply whose response cannot begin: hijacking it throws, as a socket gone at that instant may make it. */
function replyThatCannotBegin(): FastifyReply {
  return {
    raw: new PassThrough(),
    hijack() {
      throw new Error("cannot take over the response");
    },
    getHeaders: () => ({}),
    log: { error() {} },
  } as unknown as FastifyReply;
}

describe("an event stream that cannot begin", () => {
  it("lets the chunks go, so that their cleanup (upstream socket, in-flight count) runs, and ends the observer with 500", async () => {
    let isCleanedUp = false;
    // the relay's shape: its cleanup is a finally, which only a started generator runs
    async function* relayed(): AsyncGenerator<ChatCompletionChunk> {
      try {
        yield chunk;
        yield chunk;
      } finally {
        isCleanedUp = true;
      }
    }
    const ends: (number | null)[] = [];
    const seen: ChatCompletionChunk[] = [];
    const sending = sendEventStream(
      replyThatCannotBegin(),
      relayed(),
      { clientLeft: new AbortController().signal },
      { keepAliveMs: 1_000 },
      { chunk: (sent) => seen.push(sent), end: (status) => void ends.push(status) },
    );
    await expect(sending).rejects.toThrow("cannot take over the response");
    expect(isCleanedUp).toBe(true);
    expect(ends).toEqual([500]);
    // nothing was sent, so nothing was observed as sent
    expect(seen).toEqual([]);
  });
});

/** A server whose one route streams `chunks` through sendEventStream, counting the response's writes. */
async function streamingServer(chunks: () => AsyncIterable<ChatCompletionChunk>) {
  const app = Fastify();
  const writes: number[] = [];
  app.get("/events", async (_request, reply) => {
    const res = reply.raw;
    const write = res.write.bind(res) as (chunk: string) => boolean;
    let count = 0;
    res.write = ((text: string) => {
      count++;
      return write(text);
    }) as typeof res.write;
    await sendEventStream(
      reply,
      chunks(),
      { clientLeft: new AbortController().signal },
      { keepAliveMs: 60_000 },
    );
    writes.push(count);
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { url, writes, close: () => app.close() };
}

const dataEvents = (text: string) => text.split("\n\n").filter((event) => event.startsWith("data: "));

describe("an event stream's writes", () => {
  it("sends the events that are ready in one turn as one write, ending with [DONE]", async () => {
    async function* ready(): AsyncGenerator<ChatCompletionChunk> {
      for (let index = 0; index < 6; index++) yield chunk;
      // the upstream's end comes later, in a turn of its own
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const server = await streamingServer(ready);
    try {
      const text = await (await fetch(`${server.url}/events`)).text();
      expect(dataEvents(text)).toEqual([...Array(6).fill(`data: ${JSON.stringify(chunk)}`), "data: [DONE]"]);
      // the six events in one write, [DONE] with the end: each event was a write of its own
      expect(server.writes).toEqual([1]);
    } finally {
      await server.close();
    }
  });

  it("stops taking chunks while the client does not read, and sends them all once it does", async () => {
    const total = 1_000;
    let taken = 0;
    const large = {
      ...chunk,
      choices: [{ index: 0, delta: { content: "x".repeat(64 * 1024) }, finish_reason: null }],
    };
    async function* plenty(): AsyncGenerator<ChatCompletionChunk> {
      for (; taken < total; taken++) {
        // one chunk a turn of the event loop, as from an upstream's reads
        await new Promise((resolve) => setImmediate(resolve));
        yield large as ChatCompletionChunk;
      }
    }
    const server = await streamingServer(plenty);
    try {
      let request: ClientRequest | undefined;
      const response = await new Promise<IncomingMessage>((resolve) => {
        request = get(`${server.url}/events`, resolve);
      });
      response.pause();
      await new Promise((resolve) => setTimeout(resolve, 500));
      // 64 MB in all: the socket's buffers hold a few, then the stream waits for the client
      expect(taken).toBeLessThan(total / 2);
      let events = 0;
      let rest = "";
      response.setEncoding("utf8");
      for await (const text of response) {
        const parts = (rest + text).split("\n\n");
        rest = parts.pop() ?? "";
        events += parts.filter((part) => part.startsWith("data: {")).length;
      }
      request?.destroy();
      expect(events).toBe(total);
      expect(rest).toBe("");
    } finally {
      await server.close();
    }
  });
});

describe("a stream the gateway may cut", () => {
  it("ends at once when cut while a read waits, and says it was cut", async () => {
    const cut = new AbortController();
    // an upstream that sends one chunk, then nothing
    async function* silentAfterOne(): AsyncGenerator<number> {
      yield 1;
      await new Promise(() => {});
    }
    const stop = { isCut: false };
    const seen: number[] = [];
    const iterating = (async () => {
      for await (const value of untilCut(silentAfterOne(), cut.signal, stop)) seen.push(value);
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    cut.abort(new Error("shutting down"));
    await iterating;
    expect(seen).toEqual([1]);
    expect(stop.isCut).toBe(true);
  });

  it("holds no more memory at its 200,000th chunk than at its first (nothing kept per chunk)", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const chunks = 200_000;
    async function* many(): AsyncGenerator<number> {
      for (let i = 0; i < chunks; i++) yield i;
    }
    const heapNow = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const stop = { isCut: false };
    let atFirst = 0;
    let atLast = 0;
    for await (const value of untilCut(many(), new AbortController().signal, stop)) {
      if (value === 0) atFirst = heapNow();
      if (value === chunks - 1) atLast = heapNow();
    }
    expect(stop.isCut).toBe(false);
    // racing every read against one long-lived promise kept about 350 bytes a chunk (70 MB here)
    expect(atLast - atFirst).toBeLessThan(8 * 1024 * 1024);
  });
});
