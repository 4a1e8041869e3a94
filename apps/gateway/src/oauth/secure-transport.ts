import { DomainError } from "@dsc/core";
import type { FastifyRequest } from "fastify";
import { type HttpsPolicy, transportOf } from "../plugins/https-only.ts";

/**
 * The token endpoint receives client secrets, so it gets the HTTPS rule of the /v1 routes
 * (which plugins/https-only.ts skips for public routes outside /v1).
 */
export function requireSecureTransport(policy: HttpsPolicy) {
  return async (request: FastifyRequest) => {
    if (transportOf(request, policy) !== "plain-refused") return;
    throw new DomainError(
      "forbidden",
      "Client secrets are only accepted over HTTPS. Use https:// for the token endpoint.",
      null,
      "invalid_request",
    );
  };
}
