import { getAuthorizationServerMetadataOperation, getJwksOperation, type Jwks } from "@dsc/api-client";
import { type AuthorizationServer, authorizationServerMetadata } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import { serveOperation } from "../operations/serve-operation.ts";

/**
 * GET /.well-known/jwks.json (the public keys that verify access tokens) and
 * GET /.well-known/oauth-authorization-server (RFC 8414 metadata).
 */
export function registerDiscoveryRoutes(scope: FastifyInstance, server: AuthorizationServer) {
  serveOperation(
    scope,
    getJwksOperation,
  )(async ({ reply }) => {
    // short enough that verifiers see a rotation soon; they refetch on an unknown kid anyway
    reply.header("cache-control", "public, max-age=300");
    return (await server.keys.jwks()) as Jwks;
  });

  const metadata = authorizationServerMetadata(server.tokens);
  serveOperation(
    scope,
    getAuthorizationServerMetadataOperation,
  )(async ({ reply }) => {
    reply.header("cache-control", "public, max-age=3600");
    return metadata;
  });
}
