import { createChatCompletionOperation } from "@dsc/api-client";
import {
  type ChatAnswer,
  type CompleteChatDeps,
  completeChat,
  createCompletionCache,
  estimateChatCompletionTokens,
} from "@dsc/core";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { meterOf } from "../limits/rate-limits-plugin.ts";
import { serveOperation } from "../operations/serve-operation.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { organizationOf } from "../plugins/organization-of.ts";
import { type EventStreamOptions, sendEventStream } from "./event-stream.ts";
import { abortWhenClientLeaves, optsOutOfDataCollection, refusesCache } from "./request-signals.ts";

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
    textWork: deps.textWork,
    chatLogs: deps.chatLogs,
    responseCache: metering.cache
      ? createCompletionCache(deps, { cache: metering.cache, ttlMs: metering.cacheTtlMs })
      : null,
  };
  serveOperation(app, createChatCompletionOperation, {
    config: { estimateTokens: (body) => estimateChatCompletionTokens(body, metering.defaultMaxTokens) },
  })(async ({ request, reply, body }) => {
    const abort = abortWhenClientLeaves(reply);
    // a shutdown waits for the call, and past its grace cuts it (in-flight-chats.ts)
    const call = deps.chats.begin();
    let answer: ChatAnswer;
    try {
      answer = await completeChat(chatDeps, {
        principal: principalOf(request),
        organization: await organizationOf(deps, request),
        request: body,
        requestId: request.id,
        signal: AbortSignal.any([abort.signal, call.cut]),
        optedOut: optsOutOfDataCollection(request),
        refusesCache: refusesCache(request),
        meter: meterOf(request),
        log: request.log,
      });
    } catch (error) {
      call.end();
      // the upstream's abort error says nothing; the cut's reason says why
      throw call.cut.aborted ? call.cut.reason : error;
    }
    reply.header("x-cache", answer.kind === "completion" && answer.isCached ? "hit" : "miss");
    if (answer.kind === "completion") {
      void answer.settled.finally(call.end);
      return answer.completion;
    }
    try {
      await sendEventStream(
        reply,
        answer.chunks,
        { clientLeft: abort.signal, cut: call.cut },
        streamOptions,
        answer,
      );
    } finally {
      call.end();
    }
  });
}
