import { EventEmitter, once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** One request the fake upstream received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** performance.now() when it arrived */
  arrivedAt: number;
  response: ServerResponse;
  /** settles when the response is closed: finished, or the client went away */
  closed: Promise<void>;
}

/** How the fake upstream answers one request. */
export type Responder = (response: ServerResponse, request: ReceivedRequest) => void | Promise<void>;

export interface FakeUpstream {
  /** `http://127.0.0.1:PORT/v1` */
  baseUrl: string;
  requests: ReceivedRequest[];
  /** settles once `count` requests have arrived */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible server on 127.0.0.1 that answers by script: the nth request gets the
 * nth responder, and the last responder answers every request after it.
 */
export async function startFakeUpstream(script: Responder | readonly Responder[]): Promise<FakeUpstream> {
  const responders = Array.isArray(script) ? script : [script];
  const requests: ReceivedRequest[] = [];
  const arrivals = new EventEmitter();
  const server = createServer(async (incoming, response) => {
    const parts: Buffer[] = [];
    for await (const part of incoming) parts.push(part as Buffer);
    const text = Buffer.concat(parts).toString("utf8");
    const received: ReceivedRequest = {
      method: incoming.method ?? "",
      path: incoming.url ?? "",
      headers: incoming.headers,
      body: text.length > 0 ? JSON.parse(text) : {},
      arrivedAt: performance.now(),
      response,
      closed: new Promise((resolve) => response.once("close", () => resolve())),
    };
    requests.push(received);
    arrivals.emit("request");
    const responder = responders[Math.min(requests.length - 1, responders.length - 1)];
    await responder?.(response, received);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    async waitForRequests(count) {
      while (requests.length < count) await once(arrivals, "request");
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export function answerJson(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return (response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };
}

export interface SseScript {
  /** pause before each write, so that writes arrive as separate TCP chunks */
  delayMs?: number;
  /** what happens after the last piece: `data: [DONE]` and the end (default), or nothing */
  afterLast?: "done" | "hang";
}

/** Writes each piece as it is (whole events, or fragments of them) as an event stream. */
export function answerSse(pieces: readonly string[], script: SseScript = {}): Responder {
  return async (response) => {
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (const piece of pieces) {
      if (script.delayMs) await sleep(script.delayMs);
      if (response.destroyed) return;
      response.write(piece);
    }
    if ((script.afterLast ?? "done") === "done") response.end("data: [DONE]\n\n");
  };
}

/** Never answers; the request stays open until the client or the server closes it. */
export function neverAnswer(): Responder {
  return () => {};
}

/** `data: {...}\n\n` for each chunk. */
export function sseEvents(chunks: readonly unknown[]): string[] {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`);
}

export function completionChunk(
  content: string,
  finishReason: string | null = null,
): Record<string, unknown> {
  return {
    id: "chatcmpl-upstream",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model: "upstream-model",
    choices: [{ index: 0, delta: { content }, finish_reason: finishReason }],
  };
}

export function completion(content: string): Record<string, unknown> {
  return {
    id: "chatcmpl-upstream",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "upstream-model",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
  };
}

/** A TCP server that accepts and at once drops every connection; counts them. */
export async function startDroppingServer(): Promise<{
  baseUrl: string;
  connections: () => number;
  close(): Promise<void>;
}> {
  let connections = 0;
  const server: TcpServer = createTcpServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A base URL on 127.0.0.1 where nothing listens: the port was free a moment ago. */
export async function refusingBaseUrl(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/v1`;
}

/** Rejects after `ms`: the bound on waiting for an event that should come sooner. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const timer = new AbortController();
  const deadline = sleep(ms, undefined, { signal: timer.signal }).then(() => {
    throw new Error(`${what} did not happen within ${ms} ms`);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    timer.abort();
    deadline.catch(() => {});
  }
}
