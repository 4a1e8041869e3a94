import { createHash, timingSafeEqual } from "node:crypto";
import { DomainError } from "@dsc/core";
import type { FastifyRequest } from "fastify";

/**
 * The `onRequest` check of an operator route: `Authorization: Bearer $METRICS_TOKEN`, compared
 * in constant time (both sides hashed first, so neither the content nor the length of the
 * configured token shows in how long a wrong guess takes). Runs before anything else of the route.
 */
export function requireMetricsToken(token: string, route: string) {
  const expected = createHash("sha256").update(token).digest();
  return async (request: FastifyRequest) => {
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? "");
    const presented = match?.[1];
    if (!presented || !timingSafeEqual(createHash("sha256").update(presented).digest(), expected)) {
      throw new DomainError(
        "unauthenticated",
        `${route} needs the metrics token: Authorization: Bearer $METRICS_TOKEN.`,
        null,
        "invalid_metrics_token",
      );
    }
  };
}
