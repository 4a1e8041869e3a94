/*
 * A server-sent events parser after the WHATWG HTML standard ("Interpreting an event stream"),
 * fed text as it arrives, so events and lines may be split anywhere across reads.
 */

export interface ServerSentEvent {
  /** `event:` field; "message" when the event named none. */
  event: string;
  /** `data:` fields joined with "\n". */
  data: string;
}

export interface ServerSentEventParser {
  /** Feeds decoded text; returns the events it completed. */
  push(text: string): ServerSentEvent[];
  /**
   * Ends the stream. An event not closed by a blank line is discarded, as the standard says:
   * a stream cut mid-event must not look like a whole one.
   */
  end(): ServerSentEvent[];
}

export function createServerSentEventParser(): ServerSentEventParser {
  let buffer = "";
  let data: string[] = [];
  let event = "";

  function takeLine(line: string, events: ServerSentEvent[]) {
    if (line === "") {
      if (data.length > 0) events.push({ event: event || "message", data: data.join("\n") });
      data = [];
      event = "";
      return;
    }
    if (line.startsWith(":")) return; // a comment: keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
    // `id`, `retry` and unknown fields are ignored: the client does not reconnect.
  }

  function drain(isEnd: boolean): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const char = buffer[i];
      if (char !== "\n" && char !== "\r") continue;
      // A "\r" at the end of what has arrived may be the first half of "\r\n".
      if (char === "\r" && i === buffer.length - 1 && !isEnd) break;
      takeLine(buffer.slice(start, i), events);
      if (char === "\r" && buffer[i + 1] === "\n") i++;
      start = i + 1;
    }
    buffer = buffer.slice(start);
    return events;
  }

  return {
    push(text) {
      buffer += text;
      return drain(false);
    },
    end() {
      const events = drain(true);
      buffer = "";
      data = [];
      return events;
    },
  };
}

/** Reads a byte stream as server-sent events; cancels the stream when the consumer stops early. */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createServerSentEventParser();
  let isDone = false;
  try {
    while (!isDone) {
      const { done, value } = await reader.read();
      isDone = done;
      const events = done
        ? parser.push(decoder.decode()).concat(parser.end())
        : parser.push(decoder.decode(value, { stream: true }));
      yield* events;
    }
  } finally {
    if (!isDone) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
