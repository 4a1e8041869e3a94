import type { TokenRequest } from "@dsc/api-client";
import { DomainError } from "@dsc/core";
import type { FastifyRequest } from "fastify";

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

const MAX_CREDENTIAL_LENGTH = 200;

/**
 * The client's id and secret from HTTP Basic (RFC 6749 §2.3.1: both form-urlencoded, then
 * joined with ":" and base64-encoded) or from `client_id`/`client_secret` in the body. Using
 * both methods at once is refused; so is neither.
 */
export function clientCredentialsOf(request: FastifyRequest, body: TokenRequest): ClientCredentials {
  const header = request.headers.authorization;
  if (header !== undefined) {
    if (body.client_secret !== undefined) {
      throw new DomainError(
        "invalid",
        "Use one client authentication method: HTTP Basic or client_secret in the body, not both.",
        "client_secret",
        "invalid_request",
      );
    }
    const credentials = basicCredentials(header);
    if (body.client_id !== undefined && body.client_id !== credentials.clientId) {
      throw new DomainError(
        "invalid",
        "client_id in the body differs from the one in the Authorization header.",
        "client_id",
        "invalid_request",
      );
    }
    return credentials;
  }
  if (body.client_id === undefined || body.client_secret === undefined) {
    throw clientAuthenticationMissing();
  }
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

function basicCredentials(header: string): ClientCredentials {
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (!match?.[1]) throw clientAuthenticationMissing();
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw clientAuthenticationMissing();
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (clientId === null || clientSecret === null || clientId === "") throw clientAuthenticationMissing();
  return { clientId, clientSecret };
}

/** application/x-www-form-urlencoded decoding of one value; null when it is malformed or too long. */
function formDecode(value: string): string | null {
  if (value.length > MAX_CREDENTIAL_LENGTH * 3) return null;
  try {
    return decodeURIComponent(value.replaceAll("+", " "));
  } catch {
    return null;
  }
}

function clientAuthenticationMissing(): DomainError {
  return new DomainError(
    "unauthenticated",
    "Client authentication failed: send the client id and secret with HTTP Basic, or as client_id and client_secret in the body.",
    null,
    "invalid_client",
  );
}
