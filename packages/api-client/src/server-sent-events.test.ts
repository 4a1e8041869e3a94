import { describe, expect, it } from "vitest";
import {
  createServerSentEventParser,
  readServerSentEvents,
  type ServerSentEvent,
} from "./server-sent-events.ts";

function parseInPieces(pieces: string[]): ServerSentEvent[] {
  const parser = createServerSentEventParser();
  return [...pieces.flatMap((piece) => parser.push(piece)), ...parser.end()];
}

const STREAM =
  ": keep-alive\r\n" +
  "data: one\r\n" +
  "data: two\r\n\r\n" +
  "event: update\n" +
  "id: 7\n" +
  "data: first line\n" +
  "data:second line\n" +
  "data\n" +
  "\n" +
  ": only a comment\n\n" +
  "retry: 1000\r" +
  "data:  two spaces\r" +
  "\r" +
  "data: [DONE]\n\n";

const EXPECTED: ServerSentEvent[] = [
  { event: "message", data: "one\ntwo" },
  { event: "update", data: "first line\nsecond line\n" },
  { event: "message", data: " two spaces" },
  { event: "message", data: "[DONE]" },
];

describe("createServerSentEventParser", () => {
  it("reads CRLF, CR and LF lines, comments, multi-line data, fields without a space", () => {
    expect(parseInPieces([STREAM])).toEqual(EXPECTED);
  });

  it("gives the same events wherever the text is split, including between \\r and \\n", () => {
    for (let at = 0; at <= STREAM.length; at++) {
      expect(parseInPieces([STREAM.slice(0, at), STREAM.slice(at)]), `split at ${at}`).toEqual(EXPECTED);
    }
    expect(parseInPieces([...STREAM])).toEqual(EXPECTED);
  });

  it("discards an event the stream ends in the middle of", () => {
    expect(parseInPieces(["data: whole\n\n", "data: cut"])).toEqual([{ event: "message", data: "whole" }]);
    expect(parseInPieces(["data: cut\n"])).toEqual([]);
  });
});

describe("readServerSentEvents", () => {
  function streamOf(chunks: Uint8Array[]) {
    let isCancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
      cancel() {
        isCancelled = true;
      },
    });
    return { body, isCancelled: () => isCancelled };
  }

  it("decodes UTF-8 split inside a character", async () => {
    const bytes = new TextEncoder().encode("data: héllo 👋\n\n");
    const emoji = bytes.indexOf(0xf0);
    const { body } = streamOf([bytes.slice(0, 8), bytes.slice(8, emoji + 2), bytes.slice(emoji + 2)]);
    const events = [];
    for await (const event of readServerSentEvents(body)) events.push(event);
    expect(events).toEqual([{ event: "message", data: "héllo 👋" }]);
  });

  it("cancels the stream when the consumer stops early", async () => {
    const encoder = new TextEncoder();
    const { body, isCancelled } = streamOf([encoder.encode("data: 1\n\n"), encoder.encode("data: 2\n\n")]);
    for await (const event of readServerSentEvents(body)) {
      expect(event.data).toBe("1");
      break;
    }
    expect(isCancelled()).toBe(true);
  });
});
