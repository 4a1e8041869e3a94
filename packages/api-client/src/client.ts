import type { z } from "zod";
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  ChatCompletionChunkSchema,
  type ChatCompletionRequest,
} from "./chat.ts";
import { type ApiError, ErrorResponseSchema } from "./error.ts";
import type { Model, ModelList } from "./models.ts";
import { createChatCompletionOperation } from "./operations/chat/create-chat-completion.ts";
import type { OperationDefinition } from "./operations/define-operation.ts";
import { listModelsOperation } from "./operations/models/list-models.ts";
import { retrieveModelOperation } from "./operations/models/retrieve-model.ts";
import { operationPath, queryString } from "./operations/operation-url.ts";
import { readServerSentEvents } from "./server-sent-events.ts";

/*
 * A typed client of the public API for browsers and Node: the global fetch (or an injected
 * one), every call's method, path, query and body built from its operation (src/operations/),
 * every answer checked against the operation's schema. It throws ApiClientError whenever the server
 * answered with an error or with something the contract does not allow; network failures and
 * aborts reject with fetch's own errors.
 */

export interface ApiClientOptions {
  /** The API's base URL including `/v1`, e.g. `http://localhost:8080/v1`. */
  baseUrl: string;
  apiKey: string;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Sent as `x-api-version`, e.g. "1.2"; without it the server picks its version. */
  apiVersion?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface ApiClient {
  listModels(options?: RequestOptions): Promise<ModelList>;
  retrieveModel(id: string, options?: RequestOptions): Promise<Model>;
  createChatCompletion(
    body: ChatCompletionRequest & { stream?: false | null },
    options?: RequestOptions,
  ): Promise<ChatCompletion>;
  /**
   * Sends the request with `stream: true` and yields each chunk. The request starts when
   * iteration starts; stopping early (break, return) closes the connection.
   */
  streamChatCompletion(
    body: ChatCompletionRequest,
    options?: RequestOptions,
  ): AsyncIterable<ChatCompletionChunk>;
}

/** Codes of the errors the client makes up itself, when the server's answer is not an API error. */
export type ApiClientErrorCode = "unexpected_response" | "invalid_response" | "stream_truncated";

export class ApiClientError extends Error {
  override readonly name = "ApiClientError";
  /** The response's HTTP status (200 for errors that arrive inside a stream). */
  readonly status: number;
  /** The server's error object, or one the client made up (see ApiClientErrorCode). */
  readonly error: ApiError;
  /** The response's `x-request-id`; quote it when reporting a problem. */
  readonly requestId: string | null;

  constructor(init: { status: number; error: ApiError; requestId: string | null; cause?: unknown }) {
    super(init.error.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.error = init.error;
    this.requestId = init.requestId;
  }
}

function clientError(code: ApiClientErrorCode, message: string): ApiError {
  return { message, type: "api_error", param: null, code };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function toApiClientError(response: Response): Promise<ApiClientError> {
  const requestId = response.headers.get("x-request-id");
  const parsed = ErrorResponseSchema.safeParse(parseJson(await response.text()));
  if (parsed.success)
    return new ApiClientError({ status: response.status, error: parsed.data.error, requestId });
  const statusLine = `${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  return new ApiClientError({
    status: response.status,
    error: clientError("unexpected_response", `HTTP ${statusLine}; the body is not an API error`),
    requestId,
  });
}

function parseContract<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
  response: Response,
): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  throw new ApiClientError({
    status: response.status,
    error: clientError("invalid_response", `the response is not a valid ${what}: ${issues.join("; ")}`),
    requestId: response.headers.get("x-request-id"),
    cause: result.error,
  });
}

/** One call of an operation: its path parameters, query and (JSON) body. */
interface OperationCall {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal: AbortSignal | undefined;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  // the lookbehind reads a run of trailing slashes once, not once per character of it
  const baseUrl = options.baseUrl.replace(/(?<!\/)\/+$/, "");
  // Called as a plain function: browsers reject a fetch called as a method of another object.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  /** The operation's request; the base URL already ends in `/v1`, the operation's path starts with it. */
  function send(operation: OperationDefinition, call: OperationCall & { accept: string }) {
    const path = operationPath(operation, call.params);
    if (!path.startsWith("/v1/")) throw new Error(`${operation.id} is not under the client's /v1 base URL`);
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.apiKey}`,
      accept: call.accept,
    };
    if (options.apiVersion) headers["x-api-version"] = options.apiVersion;
    const hasBody = call.body !== undefined && operation.body?.kind === "json";
    if (hasBody) headers["content-type"] = "application/json";
    return fetchImpl(`${baseUrl}${path.slice("/v1".length)}${queryString(call.query)}`, {
      method: operation.method,
      headers,
      body: hasBody ? JSON.stringify(call.body) : undefined,
      signal: call.signal,
    });
  }

  /** Calls an operation and checks its 200 answer against the operation's JSON schema. */
  async function requestJson<S extends z.ZodType>(
    operation: OperationDefinition & { responses: { 200: { json: S } } },
    what: string,
    call: OperationCall,
  ): Promise<z.output<S>> {
    const response = await send(operation, { ...call, accept: "application/json" });
    if (!response.ok) throw await toApiClientError(response);
    const value = parseJson(await response.text());
    return parseContract(operation.responses[200].json, value, what, response);
  }

  async function* streamChatCompletion(
    body: ChatCompletionRequest,
    requestOptions: RequestOptions = {},
  ): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const response = await send(createChatCompletionOperation, {
      body: { ...body, stream: true },
      accept: "text/event-stream",
      signal: requestOptions.signal,
    });
    if (!response.ok) throw await toApiClientError(response);
    const requestId = response.headers.get("x-request-id");
    const contentType = response.headers.get("content-type")?.toLowerCase() ?? "";
    if (!response.body || !contentType.startsWith("text/event-stream")) {
      await response.body?.cancel().catch(() => {});
      throw new ApiClientError({
        status: response.status,
        error: clientError("invalid_response", `expected text/event-stream, got ${contentType || "no body"}`),
        requestId,
      });
    }
    for await (const event of readServerSentEvents(response.body)) {
      if (event.data === "[DONE]") return;
      const value = parseJson(event.data);
      if (typeof value === "object" && value !== null && "error" in value) {
        // The upstream failed after the 200 went out; the server reports it as an event.
        const parsed = ErrorResponseSchema.safeParse(value);
        throw new ApiClientError({
          status: response.status,
          error: parsed.success
            ? parsed.data.error
            : clientError(
                "unexpected_response",
                "the stream carried an error event that is not an API error",
              ),
          requestId,
        });
      }
      yield parseContract(ChatCompletionChunkSchema, value, "chat completion chunk", response);
    }
    throw new ApiClientError({
      status: response.status,
      error: clientError("stream_truncated", "the stream ended before data: [DONE]"),
      requestId,
    });
  }

  return {
    listModels: (requestOptions = {}) =>
      requestJson(listModelsOperation, "model list", { signal: requestOptions.signal }),
    retrieveModel: (id, requestOptions = {}) =>
      requestJson(retrieveModelOperation, "model", { params: { model: id }, signal: requestOptions.signal }),
    createChatCompletion: (body, requestOptions = {}) =>
      requestJson(createChatCompletionOperation, "chat completion", { body, signal: requestOptions.signal }),
    streamChatCompletion,
  };
}
