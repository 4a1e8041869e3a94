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

/**
 * The signals of one chat call: `clientLeft`, aborted when the client goes away before the
 * answer is complete, and `upstream`, aborted then too or when the gateway cuts the call (with
 * the cut's reason), which stops the upstream work. Built by hand rather than with
 * AbortSignal.any, whose composite signals are tracked by weak references: it cost the
 * gateway a few µs and garbage-collector work on every request.
 */
export function callSignals(
  reply: FastifyReply,
  cut: AbortSignal,
): { clientLeft: AbortSignal; upstream: AbortSignal } {
  const clientLeft = new AbortController();
  const upstream = new AbortController();
  const leave = () => {
    clientLeft.abort();
    upstream.abort();
  };
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) leave();
  });
  if (reply.raw.destroyed) leave(); // gone before we got here
  if (cut.aborted) upstream.abort(cut.reason);
  else cut.addEventListener("abort", () => upstream.abort(cut.reason), { once: true });
  return { clientLeft: clientLeft.signal, upstream: upstream.signal };
}
