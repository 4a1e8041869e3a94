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
 *
 * `release` stops following the cut: call it once the call is over. The cut's controller is held
 * by the in-flight registry, which outlives every call, and its listener reaches the whole
 * request (reply, body, upstream call); left in place, it kept each request through the young
 * generation's collections into the old one (see docs/benchmarks.md).
 */
export function callSignals(
  reply: FastifyReply,
  cut: AbortSignal,
): { clientLeft: AbortSignal; upstream: AbortSignal; release(): void } {
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
  const followCut = () => upstream.abort(cut.reason);
  if (cut.aborted) followCut();
  else cut.addEventListener("abort", followCut, { once: true });
  return {
    clientLeft: clientLeft.signal,
    upstream: upstream.signal,
    release: () => cut.removeEventListener("abort", followCut),
  };
}
