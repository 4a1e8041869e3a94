import type { FastifyInstance } from "fastify";

/**
 * An empty body is no body, whatever its Content-Type says: the Python SDK sends
 * `Content-Type: application/json` and nothing else on DELETE, and a route that takes no body
 * must answer it as it answers the same request without the header. A route that needs a body
 * still refuses a missing one, with its own 400.
 */
export function registerEmptyBodies(app: FastifyInstance) {
  // Known to be empty from the headers alone (no Transfer-Encoding, no or a zero Content-Length):
  // without a Content-Type, Fastify parses nothing, so no parser can refuse nothing.
  app.addHook("onRequest", async (request) => {
    const headers = request.raw.headers;
    if (headers["content-type"] === undefined || headers["transfer-encoding"] !== undefined) return;
    const length = headers["content-length"];
    if (length === undefined || length === "0") delete headers["content-type"];
  });

  // Chunked and empty: only the JSON parser sees that it is empty, and reads it as no body.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = body.toString();
    if (text === "") {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
}
