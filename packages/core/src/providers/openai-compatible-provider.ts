import type { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  ChatCompletionChunkSchema,
  type ChatCompletionRequest,
  ChatCompletionSchema,
} from "@dsc/api-client";
import { type Attributes, SpanKind } from "@opentelemetry/api";
import { type Dispatcher, Pool, request } from "undici";
import { injectTraceContext, isTraced, markSpanFailed, withSpan } from "../tracing/spans.ts";
import { type CallScope, openCallScope } from "./call-scope.ts";
import { type ChatProvider, type ProviderCall, ProviderError } from "./chat-provider.ts";
import { readSseData } from "./sse-events.ts";
import {
  failureBeforeAnswer,
  failureOfBody,
  failureOfStatus,
  failureOfTransport,
  type UpstreamFailure,
} from "./upstream-failure.ts";

// Error bodies up to this size are read to keep the connection; larger ones close it instead.
const DRAINED_ERROR_BYTES = 64 * 1024;
// What a stream's body may still carry after `[DONE]`, and for how long, before it is destroyed
// rather than read: every upstream we know ends it at once.
const BYTES_AFTER_DONE = 64 * 1024;
const MS_AFTER_DONE = 1_000;

export interface UpstreamTimeouts {
  /** to open the TCP connection; default 5 s */
  connectMs?: number;
  /**
   * from sending the request to the response headers, and the longest silence inside a body;
   * default 60 s. undici checks it on a coarse timer, so it may fire up to about 1 s late.
   */
  firstByteMs?: number;
  /** the whole call, retries and streaming included; default 10 min */
  totalMs?: number;
}

export interface UpstreamRetries {
  /** attempts in all, the first included; default 3 */
  attempts?: number;
  /** full-jitter exponential backoff: a random wait up to base × 2^(attempt − 1); default 200 ms */
  baseDelayMs?: number;
  /** cap on any wait, Retry-After included; default 2 s */
  maxDelayMs?: number;
}

export interface OpenAICompatibleProviderOptions {
  /** up to and including the API version, e.g. `http://host:port/v1` */
  baseUrl: string;
  apiKey: string | null;
  timeouts?: UpstreamTimeouts;
  retries?: UpstreamRetries;
  name?: string;
  /**
   * Replaces the provider's own connection pool, for tests. Its connect timeout is then its
   * own, and `close()` leaves it open: whoever made it closes it.
   */
  dispatcher?: Dispatcher;
}

export interface OpenAICompatibleProvider extends ChatProvider {
  /** closes the provider's connections, aborting requests in flight */
  close(): Promise<void>;
}

/**
 * A provider that forwards to a server speaking OpenAI's chat completions API (OpenAI, vLLM,
 * Ollama, llama.cpp, …) over one keep-alive connection pool.
 *
 * Retries happen only before any of a response body was read — connection failures, 429 and
 * 5xx, with full-jitter backoff — so no part of an answer is ever delivered twice. When
 * `call.signal` aborts, or the consumer of a stream stops early, the upstream request is
 * aborted and its socket closed; an abort by `call.signal` rejects (or throws from the
 * iterator) with `call.signal.reason`, not a ProviderError: the client left, the upstream did
 * not fail.
 */
export function createOpenAICompatibleProvider(
  options: OpenAICompatibleProviderOptions,
): OpenAICompatibleProvider {
  const connectMs = options.timeouts?.connectMs ?? 5_000;
  const firstByteMs = options.timeouts?.firstByteMs ?? 60_000;
  const totalMs = options.timeouts?.totalMs ?? 600_000;
  const attempts = Math.max(1, options.retries?.attempts ?? 3);
  const baseDelayMs = options.retries?.baseDelayMs ?? 200;
  const maxDelayMs = options.retries?.maxDelayMs ?? 2_000;

  // the lookbehind reads a run of trailing slashes once, not once per character of it
  const endpoint = new URL(`${options.baseUrl.replace(/(?<!\/)\/+$/, "")}/chat/completions`);
  const isOwnDispatcher = options.dispatcher === undefined;
  const dispatcher: Dispatcher =
    options.dispatcher ??
    new Pool(endpoint.origin, {
      connect: { timeout: connectMs },
      headersTimeout: firstByteMs,
      bodyTimeout: firstByteMs,
    });
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (options.apiKey !== null) headers.authorization = `Bearer ${options.apiKey}`;

  /** Sends the request until an attempt answers 2xx, the attempts run out, or the call ends. */
  async function send(
    body: string,
    accept: string,
    scope: CallScope,
    callFirstByteMs: number | undefined,
  ): Promise<Dispatcher.ResponseData> {
    // undici counts whole milliseconds and refuses 0 as "no timeout"
    const headersTimeout = Math.max(1, Math.ceil(Math.min(firstByteMs, callFirstByteMs ?? firstByteMs)));
    for (let attempt = 1; ; attempt++) {
      let failure: UpstreamFailure;
      try {
        const attemptOptions = {
          method: "POST" as const,
          dispatcher,
          headers: { ...headers, accept },
          body,
          signal: scope.signal,
          headersTimeout,
          bodyTimeout: firstByteMs,
        };
        const response = isTraced()
          ? await tracedAttempt(endpoint, attempt, attemptOptions)
          : await request(endpoint, attemptOptions);
        if (response.statusCode >= 200 && response.statusCode < 300) return response;
        // read and drop the error body so that the connection can be reused; it is never reported
        await response.body.dump({ limit: DRAINED_ERROR_BYTES, signal: scope.signal }).catch(() => {});
        failure = failureOfStatus(response.statusCode, response.headers["retry-after"]);
      } catch (error) {
        failure = failureOfTransport(error);
      }
      const ended = scope.ended();
      if (ended !== null) throw ended.reason;
      if (!failure.isRetryable || attempt >= attempts) throw failure.error;

      const backoff = Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const delay = failure.retryAfterMs === null ? backoff : Math.min(failure.retryAfterMs, maxDelayMs);
      try {
        await sleep(delay, undefined, { signal: scope.signal });
      } catch {
        throw scope.ended()?.reason ?? failure.error;
      }
    }
  }

  return {
    name: options.name ?? "openai-compatible",

    async complete(call: ProviderCall): Promise<ChatCompletion> {
      const scope = openCallScope(call.signal, totalMs);
      try {
        const response = await send(
          upstreamBody(call.request, false),
          "application/json",
          scope,
          call.firstByteTimeoutMs,
        );
        // nothing of the answer is out until it is whole: a failure here may still fail over
        let text: string;
        try {
          text = await response.body.text();
        } catch (error) {
          throw scope.ended()?.reason ?? failureBeforeAnswer(error);
        }
        try {
          return parseCompletion(text);
        } catch (error) {
          throw failureBeforeAnswer(error);
        }
      } finally {
        scope.end();
      }
    },

    async stream(call: ProviderCall): Promise<AsyncIterable<ChatCompletionChunk>> {
      const scope = openCallScope(call.signal, totalMs);
      let chunks: AsyncGenerator<ChatCompletionChunk> | null = null;
      try {
        const response = await send(
          upstreamBody(call.request, true),
          "text/event-stream",
          scope,
          call.firstByteTimeoutMs,
        );
        chunks = readChunks(response.body);
        // until the first chunk nothing was sent on: a failure may still fail over
        let first: IteratorResult<ChatCompletionChunk>;
        try {
          first = await chunks.next();
        } catch (error) {
          throw scope.ended()?.reason ?? failureBeforeAnswer(error);
        }
        if (first.done)
          throw failureBeforeAnswer(
            new ProviderError("bad_gateway", "upstream stream ended before its first chunk"),
          );
        return relayChunks(first.value, chunks, scope);
      } catch (error) {
        scope.abort();
        await chunks?.return(undefined);
        scope.end();
        throw error;
      }
    },

    async close() {
      if (isOwnDispatcher) await dispatcher.destroy();
    },
  };
}

/**
 * The first chunk, then the rest as they arrive. Leaving early (return(), a failure) aborts
 * the upstream request at once, which closes its socket.
 */
async function* relayChunks(
  first: ChatCompletionChunk,
  chunks: AsyncGenerator<ChatCompletionChunk>,
  scope: CallScope,
): AsyncGenerator<ChatCompletionChunk> {
  let isFinished = false;
  try {
    yield first;
    for (;;) {
      let next: IteratorResult<ChatCompletionChunk>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw scope.ended()?.reason ?? failureOfBody(error);
      }
      if (next.done) {
        isFinished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!isFinished) scope.abort();
    await chunks.return(undefined);
    scope.end();
  }
}

/**
 * The chunks up to `[DONE]`. Leaving a body's usual iterator before the body's end destroys it
 * with an AbortError whose stack Node formats, and every upstream we know ends its body just
 * after `[DONE]`, so the rest is dropped (dropRest) and the body ends by itself. Any other early
 * exit (a failure, the caller leaving) aborts the call's scope, which destroys the body.
 */
async function* readChunks(body: Readable): AsyncGenerator<ChatCompletionChunk> {
  for await (const data of readSseData(body.iterator({ destroyOnReturn: false }))) {
    if (data === "[DONE]") {
      void dropRest(body);
      return;
    }
    yield parseChunk(data);
  }
}

/**
 * Reads what an upstream sends after `[DONE]` and drops it; past BYTES_AFTER_DONE or
 * MS_AFTER_DONE the body is destroyed instead (the call's scope, and its total timeout, ended
 * with the answer). A failure of the body then (a reset, the destroy) is no failure of the
 * answer, which is complete.
 */
async function dropRest(body: Readable): Promise<void> {
  const late = setTimeout(() => body.destroy(), MS_AFTER_DONE);
  late.unref();
  let left = BYTES_AFTER_DONE;
  try {
    for await (const bytes of body) {
      left -= (bytes as Uint8Array).length;
      if (left < 0) return;
    }
  } catch {
    // the answer was whole; the connection's end is undici's to handle
  } finally {
    clearTimeout(late);
  }
}

function parseChunk(data: string): ChatCompletionChunk {
  const value = parseJson(data, "upstream sent a malformed stream event");
  if (typeof value === "object" && value !== null && "error" in value)
    throw new ProviderError("bad_gateway", "upstream reported an error during the stream");
  const parsed = ChatCompletionChunkSchema.safeParse(value);
  if (!parsed.success) throw new ProviderError("bad_gateway", "upstream sent a chunk of an unexpected shape");
  return parsed.data;
}

function parseCompletion(text: string): ChatCompletion {
  const parsed = ChatCompletionSchema.safeParse(parseJson(text, "upstream sent malformed JSON"));
  if (!parsed.success)
    throw new ProviderError("bad_gateway", "upstream sent a completion of an unexpected shape");
  return parsed.data;
}

function parseJson(text: string, message: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError("bad_gateway", message);
  }
}

/**
 * One attempt in a client span of its own, until the response headers; the span's traceparent
 * (and the caller's tracestate) go upstream with it.
 */
function tracedAttempt(
  endpoint: URL,
  attempt: number,
  options: { headers: Record<string, string> } & Parameters<typeof request<null>>[1],
): Promise<Dispatcher.ResponseData> {
  return withSpan(
    `POST ${endpoint.pathname}`,
    attemptAttributes(endpoint, attempt),
    async (span) => {
      injectTraceContext(options.headers);
      const response = await request(endpoint, options);
      span?.setAttribute("http.response.status_code", response.statusCode);
      if (span && response.statusCode >= 400) markSpanFailed(span, String(response.statusCode));
      return response;
    },
    SpanKind.CLIENT,
  );
}

/** HTTP client attributes of one attempt: where it went, never the key or the body. */
function attemptAttributes(endpoint: URL, attempt: number): Attributes {
  return {
    "http.request.method": "POST",
    "server.address": endpoint.hostname,
    "server.port": Number(endpoint.port) || (endpoint.protocol === "https:" ? 443 : 80),
    "url.full": `${endpoint.origin}${endpoint.pathname}`,
    "url.template": endpoint.pathname,
    ...(attempt > 1 ? { "http.request.resend_count": attempt - 1 } : {}),
  };
}

/** The request as the upstream gets it: `stream` set by the method called, not by the client. */
function upstreamBody(request: ChatCompletionRequest, isStream: boolean): string {
  const { stream: _stream, stream_options, ...rest } = request;
  // OpenAI refuses stream_options on a request that does not stream
  if (!isStream) return JSON.stringify(rest);
  return JSON.stringify(
    stream_options === undefined ? { ...rest, stream: true } : { ...rest, stream: true, stream_options },
  );
}
