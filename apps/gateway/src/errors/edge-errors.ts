import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { randomBase62 } from "@dsc/core";
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import { errorBody, type HttpError } from "./openai-error.ts";

/** The id of a request: in `x-request-id`, in its log line, in the client's bug report. */
export function newRequestId(): string {
  return `req_${randomBase62(24)}`;
}

/**
 * Fastify's router refuses some requests before any route or hook sees them (a path whose
 * percent-encoding does not decode, a path parameter longer than `maxParamLength`). Fastify's
 * own answer has its own shape and no `x-request-id`; this one is the API's.
 */
export function routerErrorOf(error: { code?: string }): HttpError {
  switch (error.code) {
    case "FST_ERR_BAD_URL":
      return {
        status: 400,
        body: errorBody(
          "The request URL is not valid: a path segment has bad percent-encoding.",
          "invalid_request_error",
          "invalid_url",
        ),
      };
    case "FST_ERR_MAX_PARAM_LENGTH":
      // longer than any id the API hands out or accepts, encoded: an invalid id, not a URI error
      return {
        status: 400,
        body: errorBody(
          "A path parameter is longer than any valid id.",
          "invalid_request_error",
          "invalid_value",
        ),
      };
    default:
      return {
        status: 500,
        body: errorBody(
          "The server had an error while processing your request.",
          "api_error",
          "internal_error",
        ),
      };
  }
}

/** Fastify's `frameworkErrors`: router refusals in the API's shape, with a request id. */
export function sendRouterError(
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const { status, body } = routerErrorOf(error);
  if (status >= 500) request.log.error({ err: error }, "request failed");
  else
    request.log.info({ method: request.method, status, code: error.code }, "request refused by the router");
  return reply.code(status).header("x-request-id", request.id).send(body);
}

/** What Node's HTTP parser reported, as the status and body the client gets. */
export function parserErrorOf(error: { code?: string }): HttpError {
  const refuse = (status: number, message: string, code: string) => ({
    status,
    body: errorBody(message, "invalid_request_error", code),
  });
  switch (error.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return refuse(408, "The request was not received in time.", "request_timeout");
    case "HPE_HEADER_OVERFLOW":
      return refuse(431, "The request's headers are too large.", "headers_too_large");
    case "HPE_INVALID_METHOD":
      // a client's mistake, so a 4xx (a 501 would read as the server failing)
      return refuse(400, "The request method is not supported.", "unsupported_method");
    default:
      return refuse(400, "The request is not valid HTTP/1.1.", "invalid_http_request");
  }
}

/**
 * Fastify's `clientErrorHandler`: the HTTP parser refused the request (unknown method, bad or
 * oversized headers, a request that took too long), so there is no request object and no
 * reply. The answer is written on the socket in the API's shape, and the connection closed,
 * since what follows on it cannot be parsed.
 */
export function clientErrorHandler(logger: FastifyBaseLogger) {
  return (error: Error & { code?: string }, socket: Socket) => {
    // a reset needs no answer; a response already under way cannot take a second one
    const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || socket.destroyed || response?.headersSent) {
      socket.destroy();
      return;
    }
    const id = newRequestId();
    const refusal = parserErrorOf(error);
    logger.info(
      { reqId: id, status: refusal.status, code: error.code },
      "request refused by the HTTP parser",
    );
    writeRefusal(socket, refusal, id);
  };
}

/** Writes a whole HTTP answer in the API's shape on a socket that has no reply object, and closes it. */
function writeRefusal(socket: Socket, { status, body }: HttpError, id: string) {
  if (socket.writable) {
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        "Content-Type: application/json; charset=utf-8\r\n" +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        `x-request-id: ${id}\r\n` +
        "Connection: close\r\n\r\n" +
        text,
    );
  }
  socket.end();
  // a client that does not read its answer must not hold the socket open
  socket.setTimeout(5_000, () => socket.destroy());
}

/**
 * Node hands a CONNECT request to the server's 'connect' listeners instead of the router, and
 * with none it drops the connection unanswered. The API tunnels nothing: a 400 in its shape.
 */
export function refuseConnect(logger: FastifyBaseLogger) {
  return (_request: IncomingMessage, socket: Socket) => {
    const id = newRequestId();
    logger.info({ reqId: id, method: "CONNECT", status: 400 }, "request refused before routing");
    writeRefusal(
      socket,
      {
        status: 400,
        body: errorBody(
          "The request method is not supported.",
          "invalid_request_error",
          "unsupported_method",
        ),
      },
      id,
    );
  };
}

/**
 * Node answers an `Expect` other than 100-continue with a bare 417 unless the server listens
 * for 'checkExpectation'; this answers it in the API's shape with a request id.
 */
export function refuseUnknownExpectation(logger: FastifyBaseLogger) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const id = newRequestId();
    logger.info({ reqId: id, status: 417 }, "request refused before routing");
    const text = JSON.stringify(
      errorBody(
        "The request's Expect header is not supported; only 100-continue is.",
        "invalid_request_error",
        "unsupported_expectation",
      ),
    );
    // the body the client may already be sending is not read, so the connection cannot be reused
    request.resume();
    response.writeHead(417, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
      "x-request-id": id,
      connection: "close",
    });
    response.end(text);
  };
}
