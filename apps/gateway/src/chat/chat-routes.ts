import { createChatCompletionOperation } from "@dsc/api-client";
import {
  type ChatAnswer,
  type CompleteChatDeps,
  completeChat,
  createCompletionCache,
  estimateChatCompletionTokens,
  type ModelRetirement,
  NoDeploymentAvailableError,
} from "@dsc/core";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { meterOf } from "../limits/rate-limits-plugin.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { organizationOf } from "../plugins/organization-of.ts";
import { type EventStreamOptions, sendEventStream } from "./event-stream.ts";
import { callSignals, optsOutOfDataCollection, refusesCache } from "./request-signals.ts";

/** POST /v1/chat/completions, as JSON or as a stream of server-sent events (core/chat/complete-chat.ts). */
export function registerChatRoutes(
  app: FastifyInstance,
  deps: GatewayDeps,
  streamOptions: EventStreamOptions,
) {
  const { metering } = deps;
  const chatDeps: CompleteChatDeps = {
    clock: deps.clock,
    providers: deps.providers,
    ...(deps.router && { router: deps.router }),
    textWork: deps.textWork,
    chatLogs: deps.chatLogs,
    responseCache: metering.cache
      ? createCompletionCache(deps, { cache: metering.cache, ttlMs: metering.cacheTtlMs })
      : null,
    observeUpstream: deps.metrics.observeUpstream,
  };
  serveOperation(app, createChatCompletionOperation, {
    config: { estimateTokens: (body) => estimateChatCompletionTokens(body, metering.defaultMaxTokens) },
  })(async ({ request, reply, body }) => {
    // a shutdown waits for the call, and past its grace cuts it (in-flight-chats.ts)
    const call = deps.chats.begin();
    const signals = callSignals(reply, call.cut);
    const end = () => {
      signals.release();
      call.end();
    };
    let answer: ChatAnswer;
    try {
      answer = await completeChat(chatDeps, {
        principal: principalOf(request),
        organization: await organizationOf(deps, request),
        request: body,
        requestId: request.id,
        signal: signals.upstream,
        optedOut: optsOutOfDataCollection(request),
        refusesCache: refusesCache(request),
        meter: meterOf(request),
        log: request.log,
      });
    } catch (error) {
      end();
      // the upstream's abort error says nothing; the cut's reason says why
      if (call.cut.aborted) throw call.cut.reason;
      if (error instanceof NoDeploymentAvailableError && error.retryAfterMs !== null)
        announceRetryAfter(reply, error.retryAfterMs);
      throw error;
    }
    reply.header("x-cache", answer.kind === "completion" && answer.isCached ? "hit" : "miss");
    if (answer.retirement) announceRetirement(reply, answer.retirement);
    if (answer.kind === "completion") {
      void answer.settled.finally(end);
      return answer.completion;
    }
    try {
      await sendEventStream(
        reply,
        answer.chunks,
        { clientLeft: signals.clientLeft, cut: call.cut },
        streamOptions,
        answer,
      );
    } finally {
      end();
    }
  });
}

/** When the model's deployments may be asked again: seconds for everyone, milliseconds for the SDKs. */
function announceRetryAfter(reply: FastifyReply, waitMs: number) {
  reply.header("retry-after", String(Math.max(1, Math.ceil(waitMs / 1_000))));
  reply.header("retry-after-ms", String(Math.max(1, Math.ceil(waitMs))));
}

/**
 * A model with an announced shutdown says so on every answer: RFC 9745 `Deprecation` (an RFC
 * 9651 date: when it was retired, or its shutdown for a row retired without that date), RFC 8594
 * `Sunset` at the shutdown, and a `Link` to its replacement.
 */
function announceRetirement(reply: FastifyReply, retirement: ModelRetirement) {
  const deprecatedAt = retirement.retiredAt ?? retirement.shutdownAt;
  reply.header("deprecation", `@${Math.floor(deprecatedAt.getTime() / 1000)}`);
  reply.header("sunset", retirement.shutdownAt.toUTCString());
  if (retirement.replacementModelId)
    reply.header(
      "link",
      `</v1/models/${encodeURIComponent(retirement.replacementModelId)}>; rel="successor-version"`,
    );
}
