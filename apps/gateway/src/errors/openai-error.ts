import type { ErrorResponse } from "@dsc/api-client";
import { type DomainErrorCode, isDomainError, isProviderError, type ProviderErrorKind } from "@dsc/core";

interface ErrorMapping {
  status: number;
  type: string;
  code: string | null;
}

const DOMAIN_ERRORS: Record<DomainErrorCode, ErrorMapping> = {
  invalid: { status: 400, type: "invalid_request_error", code: null },
  unauthenticated: { status: 401, type: "invalid_request_error", code: "invalid_api_key" },
  forbidden: { status: 403, type: "invalid_request_error", code: "insufficient_scope" },
  not_found: { status: 404, type: "invalid_request_error", code: "not_found" },
  conflict: { status: 409, type: "invalid_request_error", code: "conflict" },
  payload_too_large: { status: 413, type: "invalid_request_error", code: "payload_too_large" },
  rate_limited: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded" },
  quota_exceeded: { status: 429, type: "insufficient_quota", code: "insufficient_quota" },
  unavailable: { status: 503, type: "api_error", code: "service_unavailable" },
};

const PROVIDER_ERRORS: Record<ProviderErrorKind, ErrorMapping> = {
  bad_gateway: { status: 502, type: "api_error", code: "upstream_error" },
  unavailable: { status: 503, type: "api_error", code: "upstream_unavailable" },
  timeout: { status: 504, type: "api_error", code: "upstream_timeout" },
  rate_limited: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded" },
};

const FRAMEWORK_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "invalid_json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "invalid_json",
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "unsupported_media_type",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "invalid_content_length",
};

export interface HttpError {
  status: number;
  body: ErrorResponse;
}

export function errorBody(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): ErrorResponse {
  return { error: { message, type, param, code } };
}

/**
 * Turns anything thrown into OpenAI's error shape. Domain errors keep their message; for
 * anything else the client learns only that the server failed (details stay in our log).
 */
export function toHttpError(error: unknown): HttpError {
  if (isDomainError(error)) {
    const mapping = DOMAIN_ERRORS[error.code];
    return {
      status: mapping.status,
      body: errorBody(error.message, mapping.type, error.reason ?? mapping.code, error.param),
    };
  }
  if (isProviderError(error)) {
    // The provider's message is written for clients: it never holds upstream bodies or keys.
    const mapping = PROVIDER_ERRORS[error.kind];
    return { status: mapping.status, body: errorBody(error.message, mapping.type, mapping.code) };
  }
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, body too large, wrong content type); their
    // messages describe the request, not our internals.
    const code = FRAMEWORK_CODES[(error as { code?: string }).code ?? ""] ?? null;
    return { status, body: errorBody((error as Error).message, "invalid_request_error", code) };
  }
  return {
    status: 500,
    body: errorBody("The server had an error while processing your request.", "api_error", "internal_error"),
  };
}
