import type { Principal, Scope } from "@dsc/core";
import { DomainError, isTraced, withSpan } from "@dsc/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** the verified caller; set on every route whose scope is not "public" */
    principal: Principal | null;
  }
}

/**
 * Bearer authentication and scope check for every non-public route. The secret is never
 * logged or echoed; error messages show at most its first and last characters, as OpenAI does.
 */
export function registerAuthentication(app: FastifyInstance, deps: GatewayDeps) {
  app.decorateRequest("principal", null);
  app.addHook("onRequest", async (request) => {
    const scope = request.routeOptions.config.scope;
    if (!scope || scope === "public") return;
    const secret = bearerToken(request);
    if (!secret) {
      throw new DomainError(
        "unauthenticated",
        "You didn't provide an API key. Provide it in the Authorization header as 'Bearer YOUR_KEY'.",
        null,
        "missing_api_key",
      );
    }
    const principal = await authenticateBearer(deps, secret);
    if (!principal) {
      throw new DomainError(
        "unauthenticated",
        `Incorrect API key provided: ${maskSecret(secret)}. Check the key, or create a new one in the dashboard.`,
        null,
        "invalid_api_key",
      );
    }
    if (!principal.scopes.includes(scope as Scope)) {
      throw new DomainError(
        "forbidden",
        `This key lacks the '${scope}' scope required for ${request.method} ${request.routeOptions.url}.`,
        null,
        "insufficient_scope",
      );
    }
    request.principal = principal;
  });
}

/** The credential's principal; a span of its own when the request is traced (never the secret). */
function authenticateBearer(deps: GatewayDeps, secret: string): Promise<Principal | null> {
  if (!isTraced()) return deps.authenticator.authenticate(secret);
  return withSpan("authenticate", undefined, async (span) => {
    const principal = await deps.authenticator.authenticate(secret);
    span?.setAttribute("dsc.credential.kind", principal?.kind ?? "none");
    return principal;
  });
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

function maskSecret(secret: string): string {
  return secret.length <= 10 ? "***" : `${secret.slice(0, 6)}***${secret.slice(-4)}`;
}

/** The principal of an authenticated route (its onRequest hook already refused others). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error("route has no principal: is its scope public?");
  return request.principal;
}
