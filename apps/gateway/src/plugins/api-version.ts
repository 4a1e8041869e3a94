import { apiVersionStatus, CURRENT_API_VERSION } from "@dsc/api-client";
import type { Clock } from "@dsc/core";
import { DomainError } from "@dsc/core";
import type { FastifyInstance } from "fastify";

export const API_VERSION_HEADER = "x-api-version";

/**
 * Version negotiation: a request may pin a version with `x-api-version`; the answer names
 * the version it was served with. A deprecated version's answers carry Deprecation
 * (RFC 9745), Sunset (RFC 8594) and a Link to the version table; unknown or sunset versions
 * are refused.
 */
export function registerApiVersioning(app: FastifyInstance, clock: Clock) {
  app.addHook("onRequest", async (request, reply) => {
    const header = request.headers[API_VERSION_HEADER];
    const requested = (Array.isArray(header) ? header[0] : header)?.trim() || CURRENT_API_VERSION;
    reply.header(API_VERSION_HEADER, CURRENT_API_VERSION);
    const status = apiVersionStatus(requested, clock.now());
    if (status.status === "unknown" || status.status === "sunset") {
      throw new DomainError(
        "invalid",
        status.status === "unknown"
          ? `API version '${requested}' does not exist. Supported: see GET /v1/versions.`
          : `API version '${requested}' reached its sunset on ${status.version.sunset} and is no longer served.`,
        API_VERSION_HEADER,
        "unsupported_api_version",
      );
    }
    reply.header(API_VERSION_HEADER, requested);
    if (status.status === "deprecated") {
      reply.header("deprecation", `@${Math.floor(status.deprecatedAt.getTime() / 1000)}`);
      reply.header("sunset", status.sunsetAt.toUTCString());
      reply.header("link", '</v1/versions>; rel="deprecation"; type="application/json"');
    }
  });
}
