import { createAccessTokenOperation, type TokenRequest, TokenRequestSchema } from "@dsc/api-client";
import { type AuthorizationServer, DomainError, grantClientCredentials } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import type { HttpsPolicy } from "../plugins/https-only.ts";
import { clientCredentialsOf } from "./client-authentication.ts";
import { requireSecureTransport } from "./secure-transport.ts";

/**
 * POST /oauth2/token: the client credentials grant, JSON or form-encoded. The body is parsed
 * here rather than by serveOperation, so that its refusals are OAuth's errors.
 */
export function registerTokenRoute(
  scope: FastifyInstance,
  deps: GatewayDeps,
  server: AuthorizationServer,
  https: HttpsPolicy,
) {
  serveOperation(scope, createAccessTokenOperation, { onRequest: requireSecureTransport(https) })(
    async ({ request, reply, body: form }) => {
      reply.header("cache-control", "no-store").header("pragma", "no-cache");
      const body = parseTokenRequest(form);
      const { clientId, clientSecret } = clientCredentialsOf(request, body);
      const grant = await grantClientCredentials(
        { db: deps.db, clock: deps.clock, ...server },
        { clientId, clientSecret, scope: body.scope ?? null, origin: request.ip },
      );
      return {
        access_token: grant.accessToken,
        token_type: grant.tokenType,
        expires_in: grant.expiresIn,
        scope: grant.scope,
      };
    },
  );
}

/** The body checked against the contract; the first problem becomes an OAuth error. */
function parseTokenRequest(body: unknown): TokenRequest {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new DomainError(
      "invalid",
      "The request body must be application/x-www-form-urlencoded or a JSON object.",
      null,
      "invalid_request",
    );
  }
  const result = TokenRequestSchema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String(issue?.path[0] ?? "");
  const value = (body as Record<string, unknown>)[field];
  if (field === "grant_type" && typeof value === "string" && value !== "") {
    throw new DomainError(
      "invalid",
      `The grant type '${value.slice(0, 100)}' is not supported; use client_credentials.`,
      "grant_type",
      "unsupported_grant_type",
    );
  }
  const message =
    value === undefined
      ? `Missing required parameter: ${field}.`
      : Array.isArray(value)
        ? `The parameter ${field} must not be repeated.`
        : `Invalid value for ${field}: ${issue?.message ?? "invalid"}.`;
  throw new DomainError("invalid", message, field, "invalid_request");
}
