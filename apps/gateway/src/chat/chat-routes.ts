import { type ChatCompletion, ChatCompletionRequestSchema } from "@dsc/api-client";
import {
  completionUsage,
  dataPolicyOf,
  estimateChatCompletionTokens,
  estimatedCompletionUsage,
  modelAvailableTo,
  StreamUsageCounter,
  startChatCompletion,
  type TokenUsage,
} from "@dsc/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { meterOf } from "../limits/rate-limits-plugin.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { organizationOf } from "../plugins/organization-of.ts";
import { type EventStreamOptions, sendEventStream } from "./event-stream.ts";
import { parseBody } from "./parse-body.ts";

const MAX_RECORDED_MODEL_ID = 128;

/** POST /v1/chat/completions, as JSON or as a stream of server-sent events. */
export function registerChatRoutes(
  app: FastifyInstance,
  deps: GatewayDeps,
  streamOptions: EventStreamOptions,
) {
  const { metering, textWork } = deps;
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
        meter.report({ modelId: body.model.slice(0, MAX_RECORDED_MODEL_ID), endUserId: body.user || null });
        const abort = new AbortController();
        // the client went away before the answer was complete: stop the upstream work
        reply.raw.once("close", () => {
          if (!reply.raw.writableFinished) abort.abort();
        });
        if (reply.raw.destroyed) abort.abort(); // gone before we got here

        const principal = principalOf(request);
        const organization = await organizationOf(deps, request);
        const now = deps.clock.now();
        const model = modelAvailableTo(organization, body.model, now);
        const policy = dataPolicyOf(organization, { optedOut: optsOutOfDataCollection(request), now });
        const isCacheable =
          metering.cacheTtlMs > 0 && meter.isCacheAllowed && policy.keepLog && !refusesCache(request);
        const result = await startChatCompletion(
          { ...deps, cache: metering.cache },
          {
            organizationId: principal.organizationId,
            model,
            // masked in the text-work pool when large; a failure fails the request, unmasked text never leaves
            request: policy.maskUpstream
              ? { ...body, messages: await textWork.maskMessages(body.messages, policy.maskKinds) }
              : body,
            signal: abort.signal,
            cache: isCacheable ? { ttlMs: metering.cacheTtlMs } : null,
          },
        );
        // an encrypted, masked record of the turn: the writer masks and seals it off the response path
        const keepLog = (
          response: Pick<ChatCompletion, "choices"> | { streamedText: string },
          tokens: TokenUsage,
        ) => {
          if (!policy.keepLog) return;
          deps.chatLogs.record({
            requestId: request.id,
            organizationId: principal.organizationId,
            apiKeyId: principal.kind === "api_key" ? principal.credentialId : null,
            modelId: body.model,
            endUserId: body.user || null,
            messages: body.messages,
            response,
            maskKinds: policy.maskKinds,
            promptTokens: tokens.promptTokens,
            completionTokens: tokens.completionTokens,
            expiresAt: policy.logExpiresAt,
          });
        };
        if (result.kind === "completion") {
          // the answer goes out now; the meter ends once the cache has it too
          if (result.cacheWrite) void result.cacheWrite.finally(meter.hold());
          reply.header("x-cache", result.isCached ? "hit" : "miss");
          // counted after the answer went out (the pool counts a large prompt), the meter held meanwhile
          const counted = meter.hold();
          const completion = result.completion;
          void completionUsage(textWork, body, completion)
            .catch((error: unknown) => {
              request.log.error({ err: error }, "usage not counted: settled with the estimate");
              return estimatedCompletionUsage(body, completion);
            })
            .then((usage) => {
              meter.report(result.isCached ? { cached: true } : usage);
              keepLog(completion, usage);
            })
            .catch((error: unknown) => request.log.error({ err: error }, "chat log not recorded"))
            .finally(counted);
          return completion;
        }
        reply.header("x-cache", "miss");
        const usage = new StreamUsageCounter(body);
        let streamedText = "";
        await sendEventStream(reply, result.chunks, abort, streamOptions, {
          chunk: (chunk) => {
            usage.observe(chunk);
            streamedText += chunk.choices[0]?.delta.content ?? "";
          },
          end: async (failureStatus) => {
            // the best count known so far, in case counting or logging fails below
            const status = failureStatus !== null && { status: failureStatus };
            meter.report({ ...usage.estimate(), ...status });
            const counted = await usage.count(textWork);
            meter.report(counted);
            if (failureStatus === null) keepLog({ streamedText }, counted);
          },
          failedAtEnd: (failureStatus) => meter.report({ status: failureStatus }),
        });
      } finally {
        release();
      }
    },
  );
}

/**
 * `X-Data-Opt-Out: true` on a request: usage is counted, but no log and no cached content is
 * kept of it (the organization-wide switch is the dashboard's data-collection setting).
 */
function optsOutOfDataCollection(request: FastifyRequest): boolean {
  const header = request.headers["x-data-opt-out"];
  return typeof header === "string" && /^(true|1|yes)$/i.test(header.trim());
}

/** `Cache-Control: no-cache` (or no-store) on the request: answer fresh and keep nothing. */
function refusesCache(request: FastifyRequest): boolean {
  const header = request.headers["cache-control"];
  return typeof header === "string" && /(?:^|,)\s*no-(?:cache|store)\b/i.test(header);
}
