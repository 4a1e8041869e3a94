import { DomainError } from "@dsc/core";
import type { FastifyInstance, FastifyRequest } from "fastify";

export interface HttpsPolicy {
  /** the gateway terminates TLS itself */
  tls: boolean;
  /** X-Forwarded-Proto from the proxy in front is trusted */
  trustProxy: boolean;
  /** accept plain HTTP from any address (private networks only) */
  allowPlainHttp: boolean;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const HSTS = "max-age=63072000; includeSubDomains";

/**
 * API keys must not cross a network in clear. Plain HTTP is served to loopback clients (local
 * development) and, when configured, on private networks; otherwise it is refused with 403
 * `https_required`. Health checks stay reachable for load balancers.
 */
export function registerHttpsOnly(app: FastifyInstance, policy: HttpsPolicy) {
  app.addHook("onRequest", async (request, reply) => {
    const transport = transportOf(request, policy);
    if (transport === "https") {
      reply.header("strict-transport-security", HSTS);
      return;
    }
    if (request.routeOptions.config.scope === "public" && !request.url.startsWith("/v1")) return;
    if (transport === "plain-allowed") return;
    throw new DomainError(
      "forbidden",
      "This API is only served over HTTPS. Use https:// in your base URL.",
      null,
      "https_required",
    );
  });
}

/**
 * How a request arrived: over HTTPS (natively or per a trusted proxy), over plain HTTP that the
 * policy accepts (loopback, or ALLOW_PLAIN_HTTP), or over plain HTTP that must be refused.
 */
export function transportOf(
  request: FastifyRequest,
  policy: HttpsPolicy,
): "https" | "plain-allowed" | "plain-refused" {
  const forwarded = policy.trustProxy ? request.headers["x-forwarded-proto"] : undefined;
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim().toLowerCase();
  if (proto ? proto === "https" : policy.tls) return "https";
  const isLoopback = LOOPBACK.test(request.socket.remoteAddress ?? "") && !proto;
  return isLoopback || policy.allowPlainHttp ? "plain-allowed" : "plain-refused";
}
