import { ChatCompletionRequestSchema } from "@dsc/api-client";
import { startChatCompletion } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { type EventStreamOptions, sendEventStream } from "./event-stream.ts";
import { parseBody } from "./parse-body.ts";

/** POST /v1/chat/completions, as JSON or as a stream of server-sent events. */
export function registerChatRoutes(
  app: FastifyInstance,
  deps: GatewayDeps,
  streamOptions: EventStreamOptions,
) {
  app.post("/v1/chat/completions", { config: { scope: "chat" } }, async (request, reply) => {
    const body = parseBody(ChatCompletionRequestSchema, request.body);
    const abort = new AbortController();
    // the client went away before the answer was complete: stop the upstream work
    reply.raw.once("close", () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
    const result = await startChatCompletion(deps, {
      organizationId: principalOf(request).organizationId,
      request: body,
      signal: abort.signal,
    });
    if (result.kind === "completion") return result.completion;
    await sendEventStream(reply, result.chunks, abort, streamOptions);
  });
}
