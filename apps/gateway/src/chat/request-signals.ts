import type { FastifyReply, FastifyRequest } from "fastify";

/**
 * `X-Data-Opt-Out: true` on a request: usage is counted, but no log and no cached content is
 * kept of it (the organization-wide switch is the dashboard's data-collection setting).
 */
export function optsOutOfDataCollection(request: FastifyRequest): boolean {
  const header = request.headers["x-data-opt-out"];
  return typeof header === "string" && /^(true|1|yes)$/i.test(header.trim());
}

/** `Cache-Control: no-cache` (or no-store) on the request: answer fresh and keep nothing. */
export function refusesCache(request: FastifyRequest): boolean {
  const header = request.headers["cache-control"];
  return typeof header === "string" && /(?:^|,)\s*no-(?:cache|store)\b/i.test(header);
}

/** Aborted when the client goes away before the answer is complete: the upstream work stops. */
export function abortWhenClientLeaves(reply: FastifyReply): AbortController {
  const abort = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) abort.abort();
  });
  if (reply.raw.destroyed) abort.abort(); // gone before we got here
  return abort;
}
