import type { FastifyInstance } from "fastify";
import type { MetricsRecorder } from "./metrics-recorder.ts";

/**
 * Every response's duration by route pattern (`/v1/files/:file_id`, never the raw URL, whose
 * ids would make a series each), method and status. Fastify's own timer is read: nothing is
 * measured twice. A request no route matched counts under "unmatched".
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: MetricsRecorder) {
  app.addHook("onResponse", async (request, reply) => {
    metrics.observeRequest(
      request.routeOptions.url ?? "unmatched",
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1e3,
    );
  });
}
