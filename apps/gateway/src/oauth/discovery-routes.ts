import type { AuthorizationServerMetadata, Jwks } from "@dsc/api-client";
import { type AuthorizationServer, authorizationServerMetadata, JWKS_PATH } from "@dsc/core";
import type { FastifyInstance } from "fastify";

/**
 * GET /.well-known/jwks.json (the public keys that verify access tokens) and
 * GET /.well-known/oauth-authorization-server (RFC 8414 metadata).
 */
export function registerDiscoveryRoutes(scope: FastifyInstance, server: AuthorizationServer) {
  scope.get(JWKS_PATH, { config: { scope: "public" } }, async (_request, reply): Promise<Jwks> => {
    // short enough that verifiers see a rotation soon; they refetch on an unknown kid anyway
    reply.header("cache-control", "public, max-age=300");
    return (await server.keys.jwks()) as Jwks;
  });

  const metadata = authorizationServerMetadata(server.tokens);
  scope.get(
    "/.well-known/oauth-authorization-server",
    { config: { scope: "public" } },
    async (_request, reply): Promise<AuthorizationServerMetadata> => {
      reply.header("cache-control", "public, max-age=3600");
      return metadata;
    },
  );
}
