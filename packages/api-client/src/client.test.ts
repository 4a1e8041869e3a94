import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ZodError } from "zod";
import type { ChatCompletion, ChatCompletionChunk } from "./chat.ts";
import { ApiClientError, createApiClient } from "./client.ts";
import type { ModelList } from "./models.ts";

/*
 * A real HTTP server on 127.0.0.1 plays the API; each test says how it answers.
 */

interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Settles when the client has gone: the response finished or the connection closed. */
  closed: Promise<void>;
}

type Answer = (response: ServerResponse, request: ReceivedRequest) => void | Promise<void>;

let answer: Answer;
let received: ReceivedRequest[];
let baseUrl: string;
const server = createServer((request, response) => {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (piece: string) => {
    body += piece;
  });
  request.on("end", () => {
    const closed = new Promise<void>((resolve) => response.on("close", resolve));
    const entry = {
      method: request.method ?? "",
      url: request.url ?? "",
      headers: request.headers,
      body,
      closed,
    };
    received.push(entry);
    void answer(response, entry);
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  answer = (response) => sendJson(response, 500, { unexpected: true });
});

function sendJson(response: ServerResponse, status: number, body: unknown, requestId = "req_test") {
  response.writeHead(status, { "content-type": "application/json", "x-request-id": requestId });
  response.end(JSON.stringify(body));
}

/** Writes each piece separately, letting the client read in between, and maybe ends. */
async function sendEvents(response: ServerResponse, pieces: string[], { end }: { end: boolean }) {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-request-id": "req_stream",
  });
  for (const piece of pieces) {
    await new Promise<void>((resolve, reject) =>
      response.write(piece, (error) => (error ? reject(error) : resolve())),
    );
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (end) response.end();
}

const client = () => createApiClient({ baseUrl, apiKey: "sk-test-123" });

const MODELS: ModelList = {
  object: "list",
  data: [{ id: "deepseek-chst-1.0", object: "model", created: 1767225600, owned_by: "deepseek" }],
};

const COMPLETION: ChatCompletion = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1767225600,
  model: "deepseek-chst-1.0",
  choices: [{ index: 0, message: { role: "assistant", content: "Hello!" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
};

const chunk = (
  content: string,
  finishReason: ChatCompletionChunk["choices"][number]["finish_reason"] = null,
) => ({
  id: "chatcmpl-2",
  object: "chat.completion.chunk",
  created: 1767225600,
  model: "deepseek-chst-1.0",
  choices: [{ index: 0, delta: { content }, finish_reason: finishReason }],
});

const event = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

const REQUEST = { model: "deepseek-chst-1.0", messages: [{ role: "user" as const, content: "Hi" }] };

async function collect<T>(iterable: AsyncIterable<T>, into: T[] = []): Promise<T[]> {
  for await (const item of iterable) into.push(item);
  return into;
}

async function caught(promise: Promise<unknown>): Promise<ApiClientError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiClientError);
  return error as ApiClientError;
}

describe("requests", () => {
  it("send the API key as a bearer token and accept JSON; x-api-version only when configured", async () => {
    answer = (response) => sendJson(response, 200, MODELS);
    await client().listModels();
    await createApiClient({ baseUrl, apiKey: "sk-test-123", apiVersion: "1.2" }).listModels();

    const [plain, versioned] = received;
    expect(plain?.method).toBe("GET");
    expect(plain?.url).toBe("/v1/models");
    expect(plain?.headers.authorization).toBe("Bearer sk-test-123");
    expect(plain?.headers.accept).toBe("application/json");
    expect(plain?.headers["x-api-version"]).toBeUndefined();
    expect(plain?.headers["content-type"]).toBeUndefined();
    expect(versioned?.headers["x-api-version"]).toBe("1.2");
  });

  it("post the chat request as JSON, unchanged, to a base URL with or without a trailing slash", async () => {
    answer = (response) => sendJson(response, 200, COMPLETION);
    const body = { ...REQUEST, temperature: 0.2, vendor_option: { keep: true } };
    await createApiClient({ baseUrl: `${baseUrl}/`, apiKey: "sk-test-123" }).createChatCompletion(body);

    expect(received[0]?.method).toBe("POST");
    expect(received[0]?.url).toBe("/v1/chat/completions");
    expect(received[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(received[0]?.body ?? "")).toEqual(body);
  });

  it("encode the model id into the path", async () => {
    answer = (response) => sendJson(response, 200, { ...MODELS.data[0], id: "org/model 1" });
    await client().retrieveModel("org/model 1");
    expect(received[0]?.url).toBe("/v1/models/org%2Fmodel%201");
  });

  it("use an injected fetch instead of the global one", async () => {
    const urls: string[] = [];
    const injected: typeof fetch = async (input) => {
      urls.push(String(input));
      return Response.json(MODELS);
    };
    const models = await createApiClient({
      baseUrl: "https://api.invalid/v1",
      apiKey: "k",
      fetch: injected,
    }).listModels();
    expect(urls).toEqual(["https://api.invalid/v1/models"]);
    expect(models).toEqual(MODELS);
  });
});

describe("responses", () => {
  it("come back parsed; fields the contract does not know survive on loose objects", async () => {
    answer = (response) => sendJson(response, 200, { ...COMPLETION, service_tier: "default" });
    const completion = await client().createChatCompletion(REQUEST);
    expect(completion).toEqual({ ...COMPLETION, service_tier: "default" });
    answer = (response) => sendJson(response, 200, MODELS);
    expect(await client().listModels()).toEqual(MODELS);
  });

  it("that break the contract throw invalid_response with the zod error as cause", async () => {
    answer = (response) => sendJson(response, 200, { ...COMPLETION, object: "chat.completion.chunk" });
    const error = await caught(client().createChatCompletion(REQUEST));
    expect(error.status).toBe(200);
    expect(error.requestId).toBe("req_test");
    expect(error.error).toMatchObject({ type: "api_error", code: "invalid_response", param: null });
    expect(error.message).toMatch(/^the response is not a valid chat completion: object:/);
    expect(error.cause).toBeInstanceOf(ZodError);
  });

  it("that are not JSON throw invalid_response", async () => {
    answer = (response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end("<html></html>");
    };
    const error = await caught(client().listModels());
    expect(error.error.code).toBe("invalid_response");
    expect(error.requestId).toBeNull();
  });
});

describe("ApiClientError", () => {
  it("carries the status, the server's error object and the request id", async () => {
    const body = {
      error: {
        message: "The model `nope` does not exist.",
        type: "invalid_request_error",
        param: null,
        code: "not_found",
      },
    };
    answer = (response) => sendJson(response, 404, body, "req_404");
    const error = await caught(client().retrieveModel("nope"));
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("ApiClientError");
    expect(error.status).toBe(404);
    expect(error.error).toEqual(body.error);
    expect(error.message).toBe(body.error.message);
    expect(error.requestId).toBe("req_404");
  });

  it("makes up an unexpected_response error when the error body is not an API error", async () => {
    answer = (response) => {
      response.writeHead(502, "Bad Gateway", { "content-type": "text/html", "x-request-id": "req_502" });
      response.end("<h1>502</h1>");
    };
    const error = await caught(client().listModels());
    expect(error.status).toBe(502);
    expect(error.requestId).toBe("req_502");
    expect(error.error).toEqual({
      message: "HTTP 502 Bad Gateway; the body is not an API error",
      type: "api_error",
      param: null,
      code: "unexpected_response",
    });

    answer = (response) => sendJson(response, 401, { error: "invalid key" });
    expect((await caught(client().listModels())).error.code).toBe("unexpected_response");
  });
});

describe("streamChatCompletion", () => {
  it("sends stream: true and accepts server-sent events", async () => {
    answer = (response) => sendEvents(response, ["data: [DONE]\n\n"], { end: true });
    await collect(client().streamChatCompletion({ ...REQUEST, stream: false }));
    expect(received[0]?.headers.accept).toBe("text/event-stream");
    expect(received[0]?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(received[0]?.body ?? "")).toEqual({ ...REQUEST, stream: true });
  });

  it("yields each chunk from events split across writes, with CRLF, comments and multi-line data", async () => {
    const first = JSON.stringify(chunk("Hel"));
    const second = JSON.stringify(chunk("lo", "stop"));
    const secondCut = second.indexOf(',"object"') + 1;
    const wire =
      ": keep-alive\r\n\r\n" +
      `data: ${first}\r\n\r\n` +
      ": ping\n" +
      `data: ${second.slice(0, secondCut)}\r\ndata: ${second.slice(secondCut)}\r\n\r\n` +
      "data: [DONE]\r\n\r\n";
    const cuts = [
      5, // inside the comment
      wire.indexOf(first) + 10, // inside the first event's JSON
      wire.indexOf("\r\ndata: ", wire.indexOf(": ping")) + 1, // between \r and \n inside an event
      wire.indexOf("data: [DONE]") + 3, // inside the last event
    ];
    const pieces = [0, ...cuts].map((from, i) => wire.slice(from, cuts[i] ?? wire.length));
    expect(pieces.join("")).toBe(wire);
    answer = (response) => sendEvents(response, pieces, { end: true });

    // Splitting a JSON text across two data lines joins them with "\n", which JSON allows between tokens.
    const chunks = await collect(client().streamChatCompletion(REQUEST));
    expect(chunks).toEqual([chunk("Hel"), chunk("lo", "stop")]);
  });

  it("stops at data: [DONE] without waiting for the response to end, and closes the connection", async () => {
    answer = (response) => sendEvents(response, [event(chunk("Hi")), "data: [DONE]\n\n"], { end: false });
    const chunks = await collect(client().streamChatCompletion(REQUEST));
    expect(chunks).toEqual([chunk("Hi")]);
    await received[0]?.closed;
  });

  it("throws the server's error when an event carries an error object", async () => {
    const failure = {
      error: {
        message: "The upstream model failed.",
        type: "api_error",
        param: null,
        code: "upstream_error",
      },
    };
    answer = (response) => sendEvents(response, [event(chunk("Hi")), event(failure)], { end: true });
    const chunks: ChatCompletionChunk[] = [];
    const error = await caught(collect(client().streamChatCompletion(REQUEST), chunks));
    expect(chunks).toEqual([chunk("Hi")]);
    expect(error.status).toBe(200);
    expect(error.error).toEqual(failure.error);
    expect(error.requestId).toBe("req_stream");
  });

  it("throws stream_truncated when the stream ends without [DONE]", async () => {
    answer = (response) => sendEvents(response, [event(chunk("Hi")), 'data: {"id":'], { end: true });
    const chunks: ChatCompletionChunk[] = [];
    const error = await caught(collect(client().streamChatCompletion(REQUEST), chunks));
    expect(chunks).toEqual([chunk("Hi")]);
    expect(error.error).toMatchObject({ code: "stream_truncated", type: "api_error" });
    expect(error.requestId).toBe("req_stream");
  });

  it("throws the server's error for a non-2xx answer before any event", async () => {
    const body = {
      error: {
        message: "Rate limit reached.",
        type: "rate_limit_error",
        param: null,
        code: "rate_limit_exceeded",
      },
    };
    answer = (response) => sendJson(response, 429, body, "req_429");
    const error = await caught(collect(client().streamChatCompletion(REQUEST)));
    expect(error).toMatchObject({ status: 429, error: body.error, requestId: "req_429" });
  });

  it("throws invalid_response for a chunk that breaks the contract or an answer that is not a stream", async () => {
    answer = (response) =>
      sendEvents(response, [event({ ...chunk("Hi"), object: "chat.completion" })], { end: true });
    const error = await caught(collect(client().streamChatCompletion(REQUEST)));
    expect(error.error.code).toBe("invalid_response");
    expect(error.cause).toBeInstanceOf(ZodError);

    answer = (response) => sendJson(response, 200, COMPLETION);
    const notStream = await caught(collect(client().streamChatCompletion(REQUEST)));
    expect(notStream.error).toMatchObject({
      code: "invalid_response",
      message: "expected text/event-stream, got application/json",
    });
  });

  it("closes the connection when the consumer stops early", async () => {
    answer = (response) => sendEvents(response, [event(chunk("a")), event(chunk("b"))], { end: false });
    for await (const item of client().streamChatCompletion(REQUEST)) {
      expect(item).toEqual(chunk("a"));
      break;
    }
    await received[0]?.closed;
  });
});

describe("abort", () => {
  it("cancels a request that has not been answered", async () => {
    answer = () => {}; // never answers
    const controller = new AbortController();
    const pending = client().createChatCompletion(REQUEST, { signal: controller.signal });
    await expect.poll(() => received.length).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    await received[0]?.closed;
  });

  it("cancels a stream mid-way", async () => {
    answer = (response) => sendEvents(response, [event(chunk("Hi"))], { end: false });
    const controller = new AbortController();
    const chunks: ChatCompletionChunk[] = [];
    const iterating = (async () => {
      for await (const item of client().streamChatCompletion(REQUEST, { signal: controller.signal })) {
        chunks.push(item);
        controller.abort();
      }
    })();
    await expect(iterating).rejects.toMatchObject({ name: "AbortError" });
    expect(chunks).toEqual([chunk("Hi")]);
    await received[0]?.closed;
  });
});
