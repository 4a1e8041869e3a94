import { type FailoverCause, ProviderError, type ProviderErrorKind } from "./chat-provider.ts";

/**
 * One failed attempt at an upstream: the error to report if it is the last, whether another
 * attempt may help, and how long the upstream asked us to wait (Retry-After), if it did.
 * Messages name only the kind of failure and the upstream's status code: upstream bodies,
 * headers and URLs stay out, since they may carry secrets or internal names.
 */
export interface UpstreamFailure {
  error: ProviderError;
  isRetryable: boolean;
  retryAfterMs: number | null;
}

// Failures to reach the upstream or to keep the connection before it answered: nothing was
// delivered, so another attempt is safe.
const CONNECTION_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);
const TIMEOUT_ERROR_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
const CONNECT_TIMEOUT_CODE = "UND_ERR_CONNECT_TIMEOUT";

/** An answer with a status other than 2xx. */
export function failureOfStatus(
  status: number,
  retryAfter: string | string[] | undefined,
  nowMs = Date.now(),
): UpstreamFailure {
  if (status === 429)
    return failure(
      "unavailable",
      "upstream kept rate limiting (HTTP 429)",
      true,
      parseRetryAfter(retryAfter, nowMs),
      "status_429",
    );
  if (status === 503)
    return failure(
      "unavailable",
      "upstream is unavailable (HTTP 503)",
      true,
      parseRetryAfter(retryAfter, nowMs),
      "status_5xx",
    );
  if (status >= 500)
    return failure("bad_gateway", `upstream failed (HTTP ${status})`, true, null, "status_5xx");
  // a 4xx refuses this request (a parameter the upstream does not take, a bad key): asking
  // again gets the same answer
  return { error: new UpstreamRefusalError(status), isRetryable: false, retryAfterMs: null };
}

/**
 * An upstream's 4xx: it answered and refused this request. Its metrics outcome is `refused`,
 * not `error`, so that one tenant's bad requests do not read as an unhealthy upstream.
 */
export class UpstreamRefusalError extends ProviderError {
  constructor(readonly status: number) {
    super("bad_gateway", `upstream rejected the request (HTTP ${status})`);
  }
}

export function isUpstreamRefusal(error: unknown): error is UpstreamRefusalError {
  return error instanceof UpstreamRefusalError;
}

/** An error thrown while sending a request or waiting for its response headers. */
export function failureOfTransport(error: unknown): UpstreamFailure {
  if (error instanceof ProviderError) return { error, isRetryable: false, retryAfterMs: null };
  const code = errorCode(error);
  if (code === CONNECT_TIMEOUT_CODE)
    return failure("timeout", "upstream connection timed out", true, null, "connect");
  // the upstream may still be working on it: another attempt there would double both load and
  // wait, but another deployment may answer
  if (code !== null && TIMEOUT_ERROR_CODES.has(code))
    return failure("timeout", "upstream timed out", false, null, "timeout");
  if (code !== null && CONNECTION_ERROR_CODES.has(code))
    return failure("bad_gateway", "upstream connection failed", true, null, "connect");
  return failure("bad_gateway", "upstream request failed", false);
}

/** An error thrown while reading a response body, after the upstream began to answer. */
export function failureOfBody(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const code = errorCode(error);
  if (code !== null && TIMEOUT_ERROR_CODES.has(code))
    return new ProviderError("timeout", "upstream stopped sending its response");
  return new ProviderError("bad_gateway", "upstream connection broke off during the response");
}

/**
 * A failure of an answer that began (2xx) but of which nothing was sent on yet: a JSON body
 * still being read, a stream before its first chunk (broken off, silent, malformed, an error
 * event, or ended). Another deployment may still answer, and this one's health hears of it.
 */
export function failureBeforeAnswer(error: unknown): ProviderError {
  const failed = failureOfBody(error);
  if (failed.failover !== null) return failed;
  const reason = failed.kind === "timeout" ? "timeout" : "broken_answer";
  return new ProviderError(failed.kind, failed.message, {
    reason,
    retryAfterMs: null,
    // it answered, then failed: asking it again at once is unlikely to go better
    isRetryableInPlace: false,
  });
}

function failure(
  kind: ProviderErrorKind,
  message: string,
  isRetryable: boolean,
  retryAfterMs: number | null = null,
  reason: FailoverCause["reason"] | null = null,
): UpstreamFailure {
  const cause = reason === null ? null : { reason, retryAfterMs, isRetryableInPlace: isRetryable };
  return { error: new ProviderError(kind, message, cause), isRetryable, retryAfterMs };
}

function errorCode(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  if ("code" in error && typeof error.code === "string") return error.code;
  // Node reports a failed connection to several addresses (happy eyeballs) as an AggregateError
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const code = errorCode(inner);
      if (code !== null) return code;
    }
  }
  return null;
}

/** A longer Retry-After is read as this: a deployment is cooled down for at most a minute at a time. */
export const MAX_RETRY_AFTER_MS = 60_000;
// an HTTP date is at most a few dozen characters; anything longer is not one
const MAX_HTTP_DATE_LENGTH = 64;

/** Retry-After in seconds or as an HTTP date, capped at MAX_RETRY_AFTER_MS; null when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | null {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === "") return null;
  let delayMs: number;
  if (/^\d+(\.\d+)?$/.test(value)) delayMs = Math.round(Number(value) * 1000);
  else if (value.length <= MAX_HTTP_DATE_LENGTH && /^[A-Za-z]{3}, /.test(value)) {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return null;
    delayMs = Math.max(0, at - nowMs);
  } else return null;
  return Math.min(delayMs, MAX_RETRY_AFTER_MS);
}
