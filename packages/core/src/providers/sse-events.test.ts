import { describe, expect, it } from "vitest";
import { isProviderError } from "./chat-provider.ts";
import { readSseData } from "./sse-events.ts";

async function dataOf(pieces: readonly (string | Uint8Array)[]): Promise<string[]> {
  async function* source() {
    for (const piece of pieces) yield typeof piece === "string" ? new TextEncoder().encode(piece) : piece;
  }
  const all: string[] = [];
  for await (const data of readSseData(source())) all.push(data);
  return all;
}

/** The same bytes cut at every possible point into two pieces. */
function everySplit(text: string): Uint8Array[][] {
  const bytes = new TextEncoder().encode(text);
  return Array.from({ length: bytes.length + 1 }, (_, at) => [bytes.slice(0, at), bytes.slice(at)]);
}

describe("reading server-sent events", () => {
  it("delivers each event's data, skipping comments and other fields", async () => {
    const stream = ': comment\n\nevent: chunk\nid: 7\ndata: {"a":1}\n\ndata:no-space\n\ndata: [DONE]\n\n';
    expect(await dataOf([stream])).toEqual(['{"a":1}', "no-space", "[DONE]"]);
  });

  it("joins multi-line data with newlines", async () => {
    expect(await dataOf(["data: one\ndata: two\n\n"])).toEqual(["one\ntwo"]);
  });

  it("reads the same events wherever the bytes are split, with \\n, \\r\\n or \\r line ends", async () => {
    for (const newline of ["\n", "\r\n", "\r"]) {
      const text = `data: wörld ✓${newline}data: more${newline}${newline}: ping${newline}${newline}data: [DONE]${newline}${newline}`;
      for (const pieces of everySplit(text)) {
        expect(await dataOf(pieces)).toEqual(["wörld ✓\nmore", "[DONE]"]);
      }
    }
  });

  it("delivers a last event the stream ends without a blank line after", async () => {
    expect(await dataOf(["data: a\n\ndata: [DONE]"])).toEqual(["a", "[DONE]"]);
  });

  it("refuses a line that never ends", async () => {
    const huge = `data: ${"x".repeat(1 << 20)}`;
    const error = await dataOf([huge, "more"]).catch((thrown: unknown) => thrown);
    expect(isProviderError(error) && error.kind).toBe("bad_gateway");
  });
});
