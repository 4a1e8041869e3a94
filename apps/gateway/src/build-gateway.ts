import { END_USER_ID_MAX_LENGTH } from "@dsc/api-client";
import { DomainError, type Scope, trustedProxyCheck } from "@dsc/core";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { TOKEN_BODY_LIMIT } from "./body-limits.ts";
import { registerChatRoutes } from "./chat/chat-routes.ts";
import { registerComplianceRoutes } from "./compliance/compliance-routes.ts";
import {
  clientErrorHandler,
  newRequestId,
  refuseConnect,
  refuseUnknownExpectation,
  sendRouterError,
} from "./errors/edge-errors.ts";
import { errorBody, toHttpError } from "./errors/openai-error.ts";
import { registerFileRoutes } from "./files/files-routes.ts";
import type { GatewayDeps } from "./gateway-deps.ts";
import { registerHealthRoutes } from "./health/health-routes.ts";
import { registerRateLimits } from "./limits/rate-limits-plugin.ts";
import { registerOpenApiRoutes } from "./meta/openapi-routes.ts";
import { registerVersionRoutes } from "./meta/version-routes.ts";
import { registerDeploymentHealthRoutes } from "./metrics/deployment-health-routes.ts";
import { registerMetricsRoutes } from "./metrics/metrics-routes.ts";
import { registerModelRoutes } from "./models/models-routes.ts";
import { registerOAuthRoutes } from "./oauth/oauth-routes.ts";
import { registerResponseContractCheck } from "./operations/response-contract-check.ts";
import { registerApiVersioning } from "./plugins/api-version.ts";
import { registerAuthentication } from "./plugins/authenticate.ts";
import { type HttpsPolicy, registerHttpsOnly } from "./plugins/https-only.ts";
import { decorateOrganizationSnapshot } from "./plugins/organization-of.ts";
import { registerRequestBodies } from "./plugins/request-bodies.ts";
import { refuseRequestsWhileDraining } from "./shutdown/draining.ts";
import { traceRequests } from "./tracing/trace-requests.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** What a credential needs to call the route; "public" routes need none. */
    scope?: Scope | "public";
  }
  interface FastifyInstance {
    /** every registered route and its scope (the shared auth tests walk them) */
    routeScopes: { method: string; url: string; scope: Scope | "public"; operationId: string | null }[];
  }
}

/**
 * The longest path parameter the router passes on, measured percent-decoded. Ids up to four
 * times the longest valid one (an end-user id of 256 UTF-16 code units) reach their route, whose
 * schema refuses them naming the parameter; longer ones get the router's 400, never a 414.
 */
const MAX_PARAM_LENGTH = END_USER_ID_MAX_LENGTH * 4;

export interface GatewayOptions {
  /** largest accepted request body, in bytes (default 10 MB) */
  bodyLimit?: number;
  /** largest chat completion body (default: the body limit; server.ts sizes it from the models) */
  chatBodyLimit?: number;
  /** how long a client may take to send a request, its headers, or nothing at all */
  timeouts?: Partial<ServerTimeouts>;
  https?: Partial<HttpsPolicy>;
  /** idle time after which a stream gets a keep-alive comment (default 15 s) */
  streamKeepAliveMs?: number;
  /** on close, cut every connection instead of letting in-flight requests finish */
  forceCloseConnections?: boolean;
  /** passed to Fastify for native TLS */
  tls?: { cert: Buffer; key: Buffer } | null;
  /** the bearer token GET /metrics asks for; without one there is no /metrics (METRICS_TOKEN) */
  metricsToken?: string | null;
  /** tests: answers outside their operation's contract become 500s that say why */
  checkResponsesAgainstContract?: boolean;
  /** a server span per request (server.ts sets it once startTracing registered the SDK) */
  traceRequests?: boolean;
}

export interface ServerTimeouts {
  /** the whole request, headers and body, must arrive within this (Node's requestTimeout) */
  requestMs: number;
  /** the headers must arrive within this (Node's headersTimeout; at most requestMs) */
  headersMs: number;
  /** an idle keep-alive connection is closed after this */
  keepAliveMs: number;
  /** a connection without traffic either way is closed after this; 0: never */
  connectionMs: number;
}

const DEFAULT_TIMEOUTS: ServerTimeouts = {
  requestMs: 300_000,
  headersMs: 20_000,
  keepAliveMs: 72_000,
  connectionMs: 0,
};

/** The public API as a Fastify instance that is not listening yet (server.ts listens). */
export function buildGateway(deps: GatewayDeps, options: GatewayOptions = {}): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? 10 * 1024 * 1024;
  const trustedProxies = options.https?.trustProxy ?? [];
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  // Node checks the request and header deadlines of open connections at this interval
  const serverOptions = {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, timeouts.headersMs / 2)),
    // Node's own refusal of a request without Host is a bare 400; the hook below answers it
    requireHostHeader: false,
  };
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit,
    // a client that sends slowly or not at all is cut off (408), so it cannot hold a connection
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.connectionMs,
    genReqId: newRequestId,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    requestIdHeader: false,
    // our onResponse hook writes the one line per request
    logController: new LogController({ disableRequestLogging: true }),
    // a shutdown answers in the API's error shape instead (shutdown/draining.ts)
    return503OnClosing: false,
    // "idle" lets in-flight answers finish on shutdown; tests close at once
    forceCloseConnections: options.forceCloseConnections ? true : "idle",
    // request.ip is the first address that is not a trusted proxy: per-address limits and audit
    trustProxy: trustedProxies.length > 0 ? trustedProxyCheck(trustedProxies) : false,
    ...(options.tls ? { https: { ...options.tls, ...serverOptions } } : { http: serverOptions }),
    // refusals before routing (router, HTTP parser) in the API's shape too, with a request id
    frameworkErrors: sendRouterError,
    clientErrorHandler: clientErrorHandler(deps.logger as FastifyBaseLogger),
  }) as unknown as FastifyInstance;
  // requests Node answers (or drops) before Fastify sees them
  app.server.on("connect", refuseConnect(deps.logger as FastifyBaseLogger));
  app.server.on("checkExpectation", refuseUnknownExpectation(deps.logger as FastifyBaseLogger));
  // first: every hook after it runs in the request's span, and logs with its trace id
  if (options.traceRequests) traceRequests(app);

  // JSON only: any other body type is a 415, not a string the schema then rejects.
  app.removeContentTypeParser("text/plain");
  registerRequestBodies(app);

  app.decorate("routeScopes", []);
  if (options.checkResponsesAgainstContract) registerResponseContractCheck(app);
  // each route reads at most what its largest valid request needs (body-limits.ts)
  const routeBodyLimits: Record<string, number> = {
    "/oauth2/token": TOKEN_BODY_LIMIT,
    "/v1/chat/completions": Math.min(bodyLimit, options.chatBodyLimit ?? bodyLimit),
  };
  app.addHook("onRoute", (route) => {
    route.bodyLimit ??= routeBodyLimits[route.url];
    const scope = route.config?.scope;
    if (!scope) throw new Error(`route ${route.method} ${route.url} must declare config.scope`);
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      app.routeScopes.push({
        method,
        url: route.url,
        scope,
        operationId: route.config?.operation?.id ?? null,
      });
    }
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400
    if (request.raw.httpVersion === "1.1" && request.headers.host === undefined) {
      throw new DomainError("invalid", "The request has no Host header.", null, "missing_host");
    }
  });
  // before authentication: during a shutdown nothing more is started
  refuseRequestsWhileDraining(app, deps.draining);

  // One line per request; never headers or bodies, so credentials cannot reach the log.
  app.addHook("onResponse", async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? "(unmatched)",
        status: reply.statusCode,
        latencyMs: Math.round(reply.elapsedTime),
        org: request.principal?.organizationId,
      },
      "request",
    );
  });

  app.setErrorHandler((error, request, reply) => {
    if (reply.raw.destroyed) {
      // the client went away (its abort reached the provider): nobody is left to answer
      request.log.info({ err: { name: (error as Error).name } }, "client closed the connection");
      return;
    }
    const { status, body } = toHttpError(error);
    if (status >= 500) request.log.error({ err: error }, "request failed");
    if (status === 401) reply.header("www-authenticate", 'Bearer realm="api"');
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

  const httpsPolicy: HttpsPolicy = {
    tls: Boolean(options.tls),
    trustProxy: trustedProxies,
    allowPlainHttp: options.https?.allowPlainHttp ?? false,
  };
  registerHttpsOnly(app, httpsPolicy);
  registerApiVersioning(app, deps.clock);
  registerAuthentication(app, deps);
  decorateOrganizationSnapshot(app);
  // after authentication: limits and metering need the caller
  registerRateLimits(app, deps);

  registerHealthRoutes(app, deps);
  registerVersionRoutes(app);
  registerOpenApiRoutes(app);
  registerMetricsRoutes(app, deps, options.metricsToken ?? null);
  registerDeploymentHealthRoutes(app, deps.deploymentHealth ?? null, options.metricsToken ?? null);
  registerModelRoutes(app, deps);
  registerChatRoutes(app, deps, { keepAliveMs: options.streamKeepAliveMs ?? 15_000 });
  registerFileRoutes(app, deps);
  registerOAuthRoutes(app, deps, httpsPolicy);
  registerComplianceRoutes(app, deps);
  return app;
}
