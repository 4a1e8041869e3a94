import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type Attributes,
  context,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import type { FastifyInstance } from "fastify";

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

// probes and scrapes every few seconds would bury the requests in traces of nothing
const UNTRACED_PATHS = ["/healthz", "/readyz", "/metrics"];

/**
 * One server span per request, the child of the caller's `traceparent` when it sends one: the
 * HTTP server's request listener (Fastify's) runs in the span's context, with the request and
 * response bound to it so that body parsing and every hook continue in it. Once routed, the span
 * is named by method and route pattern ("POST /v1/chat/completions"; never the path itself,
 * which may carry an end-user id), and the request's logger gets trace_id and span_id.
 * Register right after creating the app, before any other hook (buildGateway does).
 */
export function traceRequests(app: FastifyInstance): void {
  const tracer = trace.getTracer("@dsc/gateway");
  const server = app.server;
  const listeners = server.listeners("request") as RequestListener[];
  const [handle] = listeners;
  if (listeners.length !== 1 || !handle) throw new Error("expected Fastify's one request listener");
  server.removeListener("request", handle);
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    if (isUntracedPath(request.url)) return handle.call(server, request, response);
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer.startSpan(
      request.method ?? "HTTP",
      { kind: SpanKind.SERVER, attributes: serverAttributes(request) },
      parent,
    );
    const active = trace.setSpan(parent, span);
    context.bind(active, request);
    context.bind(active, response);
    response.once("close", () => endServerSpan(span, response));
    context.with(active, () => handle.call(server, request, response));
  });

  app.addHook("onRequest", async (request, reply) => {
    const span = trace.getActiveSpan();
    if (!span) return;
    const route = request.routeOptions.url;
    if (route) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute("http.route", route);
    }
    const ids = span.spanContext();
    if (!isSpanContextValid(ids)) return;
    // Fastify logs some failures through the reply's logger: both carry the ids
    request.log = request.log.child({ trace_id: ids.traceId, span_id: ids.spanId });
    reply.log = request.log;
  });
}

function isUntracedPath(url: string | undefined): boolean {
  if (!url) return false;
  const path = url.split("?", 1)[0];
  return UNTRACED_PATHS.includes(path ?? "");
}

/** HTTP server attributes that name no one: no path, query, address or header values but the agent. */
function serverAttributes(request: IncomingMessage): Attributes {
  const attributes: Attributes = {
    "http.request.method": request.method ?? "_OTHER",
    "url.scheme": "encrypted" in request.socket && request.socket.encrypted ? "https" : "http",
    "network.protocol.version": request.httpVersion,
  };
  const agent = request.headers["user-agent"];
  if (agent) attributes["user_agent.original"] = agent.slice(0, 256);
  return attributes;
}

function endServerSpan(span: Span, response: ServerResponse): void {
  if (response.headersSent) span.setAttribute("http.response.status_code", response.statusCode);
  if (!response.writableFinished) span.setAttribute("dsc.response.incomplete", true);
  if (response.statusCode >= 500) {
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.setAttribute("error.type", String(response.statusCode));
  }
  span.end();
}
