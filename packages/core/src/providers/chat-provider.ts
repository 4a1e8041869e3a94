import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";

/** One call to a model. */
export interface ProviderCall {
  /** the validated request, with `model` already set to the name the provider expects */
  request: ChatCompletionRequest;
  /** aborted when the client goes away; the provider stops its upstream work at once */
  signal: AbortSignal;
  /**
   * the longest wait for the response headers this call may take (what is left of the router's
   * failover window); the provider's own first-byte timeout applies when it is shorter
   */
  firstByteTimeoutMs?: number;
}

/**
 * Something that answers chat completions in OpenAI's wire format: the built-in local model,
 * or an OpenAI-compatible upstream server.
 */
export interface ChatProvider {
  readonly name: string;
  complete(call: ProviderCall): Promise<ChatCompletion>;
  /**
   * Resolves when the first chunk is available (failures before it reject, after the
   * provider's retries); the iterable then yields every chunk, the first included. A failure
   * after the first chunk is thrown by the iterator as a ProviderError.
   */
  stream(call: ProviderCall): Promise<AsyncIterable<ChatCompletionChunk>>;
}

/** `rate_limited`: every deployment of the model is cooling down after its upstream's 429s */
export type ProviderErrorKind = "bad_gateway" | "unavailable" | "timeout" | "rate_limited";

/**
 * Why an upstream failed before it sent any of its answer: the cases in which the request may
 * go to another deployment of the model (deployments/route-chat.ts), and what its health hears.
 */
export interface FailoverCause {
  /** `broken_answer`: a 2xx whose body broke off, was malformed or an error event before any of it was sent on */
  reason: "connect" | "timeout" | "status_5xx" | "status_429" | "broken_answer";
  /** the upstream's Retry-After, capped; null when it sent none */
  retryAfterMs: number | null;
  /** whether asking the same upstream again may help (a first-byte timeout: it may still be working) */
  isRetryableInPlace: boolean;
}

/**
 * An upstream failure, described without the upstream's body or secrets. The gateway maps
 * `bad_gateway` to 502, `unavailable` to 503, `timeout` to 504 and `rate_limited` to 429.
 */
export class ProviderError extends Error {
  override readonly name = "ProviderError";

  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    /** set only for a failure before the first byte of the answer that another upstream may not share */
    readonly failover: FailoverCause | null = null,
  ) {
    super(message);
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
