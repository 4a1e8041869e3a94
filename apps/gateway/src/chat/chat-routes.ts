import { ChatCompletionRequestSchema } from "@dsc/api-client";
import {
  completionUsage,
  estimateChatCompletionTokens,
  StreamUsageCounter,
  startChatCompletion,
} from "@dsc/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { meterOf } from "../limits/rate-limits-plugin.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { type EventStreamOptions, sendEventStream } from "./event-stream.ts";
import { parseBody } from "./parse-body.ts";

const MAX_RECORDED_MODEL_ID = 128;

/** POST /v1/chat/completions, as JSON or as a stream of server-sent events. */
export function registerChatRoutes(
  app: FastifyInstance,
  deps: GatewayDeps,
  streamOptions: EventStreamOptions,
) {
  const { metering } = deps;
  app.post(
    "/v1/chat/completions",
    {
      config: {
        scope: "chat",
        estimateTokens: (body) => estimateChatCompletionTokens(body, metering.defaultMaxTokens),
      },
    },
    async (request, reply) => {
      const meter = meterOf(request);
      // the usage is known only once the answer is complete, after the response for a stream
      const release = meter.hold();
      try {
        const body = parseBody(ChatCompletionRequestSchema, request.body);
        meter.report({ modelId: body.model.slice(0, MAX_RECORDED_MODEL_ID), endUserId: body.user ?? null });
        const abort = new AbortController();
        // the client went away before the answer was complete: stop the upstream work
        reply.raw.once("close", () => {
          if (!reply.raw.writableFinished) abort.abort();
        });
        if (reply.raw.destroyed) abort.abort(); // gone before we got here

        const isCacheable = metering.cacheTtlMs > 0 && meter.isCacheAllowed && !refusesCache(request);
        const result = await startChatCompletion(
          { ...deps, cache: metering.cache },
          {
            organizationId: principalOf(request).organizationId,
            request: body,
            signal: abort.signal,
            cache: isCacheable ? { ttlMs: metering.cacheTtlMs } : null,
          },
        );
        if (result.kind === "completion") {
          // the answer goes out now; the meter ends once the cache has it too
          if (result.cacheWrite) void result.cacheWrite.finally(meter.hold());
          reply.header("x-cache", result.isCached ? "hit" : "miss");
          meter.report(result.isCached ? { cached: true } : completionUsage(body, result.completion));
          return result.completion;
        }
        reply.header("x-cache", "miss");
        const usage = new StreamUsageCounter(body);
        await sendEventStream(reply, result.chunks, abort, streamOptions, {
          chunk: (chunk) => usage.observe(chunk),
          end: (failureStatus) =>
            meter.report({ ...usage.usage(), ...(failureStatus !== null && { status: failureStatus }) }),
        });
      } finally {
        release();
      }
    },
  );
}

/** `Cache-Control: no-cache` (or no-store) on the request: answer fresh and keep nothing. */
function refusesCache(request: FastifyRequest): boolean {
  const header = request.headers["cache-control"];
  return typeof header === "string" && /(?:^|,)\s*no-(?:cache|store)\b/i.test(header);
}
