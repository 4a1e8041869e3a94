import { DomainError, FORWARDING_HEADERS, type TrustedProxies, trustedProxyCheck } from "@dsc/core";
import type { FastifyInstance, FastifyRequest } from "fastify";

export interface HttpsPolicy {
  /** the gateway terminates TLS itself */
  tls: boolean;
  /** the proxies in front, whose X-Forwarded-For and X-Forwarded-Proto are believed (TRUST_PROXY) */
  trustProxy: TrustedProxies;
  /** accept plain HTTP from any address (private networks only) */
  allowPlainHttp: boolean;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const proxyChecks = new WeakMap<HttpsPolicy, (address: string) => boolean>();
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
 *
 * Loopback means the client itself is on this machine: `request.ip`, the first address that is
 * not a trusted proxy, is a loopback address. A request relayed by a proxy that is not trusted
 * (it carries forwarding headers) comes from someone unknown behind that proxy, and one relayed
 * by a trusted proxy is local only when the proxy names a loopback client in X-Forwarded-For.
 */
export function transportOf(
  request: FastifyRequest,
  policy: HttpsPolicy,
): "https" | "plain-allowed" | "plain-refused" {
  const isTrusted = proxyCheckOf(policy);
  const fromTrustedProxy = isTrusted(request.socket.remoteAddress ?? "");
  // the value the nearest trusted proxy appended (Fastify reads the header's last entry)
  const proto =
    fromTrustedProxy && request.headers["x-forwarded-proto"]
      ? request.protocol.trim().toLowerCase()
      : undefined;
  if (proto ? proto === "https" : policy.tls) return "https";
  if (policy.allowPlainHttp) return "plain-allowed";
  const isRelayed = FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined);
  const isLoopback =
    LOOPBACK.test(request.ip) &&
    (!isRelayed || (fromTrustedProxy && request.headers["x-forwarded-for"] !== undefined));
  return isLoopback ? "plain-allowed" : "plain-refused";
}

function proxyCheckOf(policy: HttpsPolicy): (address: string) => boolean {
  let check = proxyChecks.get(policy);
  if (!check) {
    check = trustedProxyCheck(policy.trustProxy);
    proxyChecks.set(policy, check);
  }
  return check;
}
