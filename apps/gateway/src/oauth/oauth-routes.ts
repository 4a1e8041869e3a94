import formbody from "@fastify/formbody";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import type { HttpsPolicy } from "../plugins/https-only.ts";
import { registerDiscoveryRoutes } from "./discovery-routes.ts";
import { sendOAuthError } from "./oauth-error.ts";
import { registerTokenRoute } from "./token-route.ts";

/**
 * The OAuth 2.0 authorization server: token endpoint and discovery documents. They live in
 * a scope of their own, which alone parses form bodies (every other route keeps answering 415
 * to anything but JSON) and answers errors in OAuth's shape instead of OpenAI's.
 */
export function registerOAuthRoutes(app: FastifyInstance, deps: GatewayDeps, https: HttpsPolicy) {
  const server = deps.oauth;
  if (!server) return;
  app.register(async (scope) => {
    await scope.register(formbody);
    scope.setErrorHandler(sendOAuthError);
    registerTokenRoute(scope, deps, server, https);
    registerDiscoveryRoutes(scope, server);
  });
}
