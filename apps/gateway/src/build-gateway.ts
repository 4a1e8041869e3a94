import type { Scope } from "@dsc/core";
import { randomBase62 } from "@dsc/core";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { errorBody, toHttpError } from "./errors/openai-error.ts";
import type { GatewayDeps } from "./gateway-deps.ts";
import { registerHealthRoutes } from "./health/health-routes.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** What a credential needs to call the route; "public" routes need none. */
    scope?: Scope | "public";
  }
}

export interface GatewayOptions {
  /** largest accepted request body, in bytes */
  bodyLimit?: number;
}

/** The public API as a Fastify instance that is not listening yet (server.ts listens). */
export function buildGateway(deps: GatewayDeps, options: GatewayOptions = {}): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 10 * 1024 * 1024,
    genReqId: () => `req_${randomBase62(24)}`,
    requestIdHeader: false,
    // our onResponse hook writes the one line per request
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });

  app.addHook("onRoute", (route) => {
    if (!route.config?.scope) {
      throw new Error(`route ${route.method} ${route.url} must declare config.scope`);
    }
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  // One line per request; never headers or bodies, so credentials cannot reach the log.
  app.addHook("onResponse", async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? "(unmatched)",
        status: reply.statusCode,
        latencyMs: Math.round(reply.elapsedTime),
      },
      "request",
    );
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toHttpError(error);
    if (status >= 500) request.log.error({ err: error }, "request failed");
    return reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        errorBody(
          `Unknown request URL: ${request.method} ${request.url.split("?")[0]}.`,
          "invalid_request_error",
          "unknown_url",
        ),
      ),
  );

  registerHealthRoutes(app, deps);
  return app;
}
