import type { OAuthErrorCode, OAuthErrorResponse } from "@dsc/api-client";
import { ClientAuthenticationThrottled, type DomainErrorCode, isDomainError } from "@dsc/core";
import { OAUTH_ERROR_CODES } from "@dsc/vocabulary";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

const OAUTH_CODES: ReadonlySet<string> = new Set<OAuthErrorCode>(OAUTH_ERROR_CODES);

const BY_DOMAIN_CODE: Record<DomainErrorCode, { status: number; error: OAuthErrorCode }> = {
  invalid: { status: 400, error: "invalid_request" },
  unauthenticated: { status: 401, error: "invalid_client" },
  forbidden: { status: 403, error: "invalid_request" },
  not_found: { status: 404, error: "invalid_request" },
  conflict: { status: 409, error: "invalid_request" },
  payload_too_large: { status: 413, error: "invalid_request" },
  rate_limited: { status: 429, error: "slow_down" },
  quota_exceeded: { status: 429, error: "slow_down" },
  unavailable: { status: 503, error: "temporarily_unavailable" },
};

/** RFC 6749 §5.2: how the client is told to authenticate after a failed attempt. */
export const CLIENT_AUTH_CHALLENGE = 'Basic realm="oauth2", charset="UTF-8"';

export interface OAuthHttpError {
  status: number;
  body: OAuthErrorResponse;
  retryAfterSeconds: number | null;
}

/**
 * Turns anything thrown on an OAuth endpoint into RFC 6749's error shape. Domain errors keep
 * their message as `error_description`; anything else reveals only that the server failed.
 */
export function toOAuthError(error: unknown): OAuthHttpError {
  if (isDomainError(error)) {
    const mapped = BY_DOMAIN_CODE[error.code];
    const code =
      error.reason && OAUTH_CODES.has(error.reason) ? (error.reason as OAuthErrorCode) : mapped.error;
    return {
      status: code === "invalid_client" ? 401 : mapped.status,
      body: { error: code, error_description: error.message },
      retryAfterSeconds:
        error instanceof ClientAuthenticationThrottled
          ? Math.max(1, Math.ceil(error.retryAfterMs / 1000))
          : null,
    };
  }
  const status = (error as FastifyError).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, body too large, wrong content type)
    return {
      status,
      body: { error: "invalid_request", error_description: (error as Error).message },
      retryAfterSeconds: null,
    };
  }
  return {
    status: 500,
    body: {
      error: "server_error",
      error_description: "The server had an error while processing your request.",
    },
    retryAfterSeconds: null,
  };
}

/** The error handler of the OAuth endpoints' scope. */
export function sendOAuthError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (reply.raw.destroyed) return; // the client went away: nobody is left to answer
  const { status, body, retryAfterSeconds } = toOAuthError(error);
  if (status >= 500) request.log.error({ err: error }, "request failed");
  if (status === 401) reply.header("www-authenticate", CLIENT_AUTH_CHALLENGE);
  if (retryAfterSeconds !== null) reply.header("retry-after", String(retryAfterSeconds));
  // answers of the token endpoint must never be cached (RFC 6749 §5.1), errors included
  reply.header("cache-control", "no-store").header("pragma", "no-cache");
  return reply.code(status).send(body);
}
