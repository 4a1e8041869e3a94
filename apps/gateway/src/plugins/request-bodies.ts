import { DomainError } from "@dsc/core";
import type { FastifyInstance } from "fastify";

/**
 * An empty body is no body, whatever its Content-Type says: the Python SDK sends
 * `Content-Type: application/json` and nothing else on DELETE, and a route that takes no body
 * must answer it as it answers the same request without the header. A route that needs a body
 * still refuses a missing one, with its own 400.
 */
export function registerRequestBodies(app: FastifyInstance) {
  // Known to be empty from the headers alone (no Transfer-Encoding, no or a zero Content-Length):
  // without a Content-Type, Fastify parses nothing, so no parser can refuse nothing.
  app.addHook("onRequest", async (request) => {
    const headers = request.raw.headers;
    if (headers["content-type"] === undefined || headers["transfer-encoding"] !== undefined) return;
    const length = headers["content-length"];
    if (length === undefined || length === "0") delete headers["content-type"];
  });

  // Chunked and empty: only the JSON parser sees that it is empty, and reads it as no body.
  // Nesting deeper than any request needs is refused before parsing: every later walk of the
  // body (cache key, masking, logging) recurses, and 10,000 levels overflow the stack.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body.toString();
    if (text === "") {
      done(null, undefined);
      return;
    }
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new DomainError(
          "invalid",
          `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
          null,
          "invalid_json",
        ),
        undefined,
      );
      return;
    }
    parseJson(request, text, done);
  });
}

export const MAX_JSON_DEPTH = 128;

/** Whether JSON text opens more than `max` arrays and objects inside each other; one pass. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      if (++depth > max) return true;
    } else if (code === 0x7d || code === 0x5d) {
      depth--;
    }
  }
  return false;
}
