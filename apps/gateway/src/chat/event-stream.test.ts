import { PassThrough } from "node:stream";
import type { ChatCompletionChunk } from "@dsc/api-client";
import type { FastifyReply } from "fastify";
import { describe, expect, it } from "vitest";
import { sendEventStream } from "./event-stream.ts";

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
