import { ProviderError } from "./chat-provider.ts";

// An event line longer than this is not a chat chunk; stop before it eats the memory.
const MAX_LINE_CHARACTERS = 1 << 20;

/**
 * The `data` of each server-sent event in a byte stream, as the EventSource rules read it:
 * events end at a blank line, multi-line data joins with "\n", comment lines (":") and other
 * fields are skipped, and lines may end in \n, \r\n or \r — also when a TCP chunk boundary
 * falls inside a line, a UTF-8 character or a \r\n pair. An event the stream ends without a
 * blank line after is still delivered, because some servers close right after `data: [DONE]`.
 */
export async function* readSseData(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  let data: string[] = [];

  function* takeLines(lines: string[]): Generator<string> {
    for (const line of lines) {
      if (line.length === 0) {
        if (data.length > 0) yield data.join("\n");
        data = [];
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      if (field !== "data") continue;
      const value = colon === -1 ? "" : line.slice(colon + 1);
      data.push(value.startsWith(" ") ? value.slice(1) : value);
    }
  }

  for await (const bytes of source) {
    pending += typeof bytes === "string" ? bytes : decoder.decode(bytes, { stream: true });
    // a final \r may be the first half of \r\n; keep it until the next bytes tell
    const complete = pending.endsWith("\r") ? pending.length - 1 : pending.length;
    const lines = pending.slice(0, complete).split(/\r\n|\r|\n/);
    pending = (lines.pop() ?? "") + pending.slice(complete);
    if (pending.length > MAX_LINE_CHARACTERS)
      throw new ProviderError("bad_gateway", "upstream sent an oversized stream event");
    yield* takeLines(lines);
  }
  pending += decoder.decode();
  yield* takeLines([...pending.split(/\r\n|\r|\n/), ""]);
}
