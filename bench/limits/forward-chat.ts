import type { ChatCompletionRequest } from "@dsc/api-client";
import { Agent, request } from "undici";

/**
 * The upstream call both pass-throughs make (bare-server.ts, fastify-server.ts), so that they
 * do the same work and differ only in the server in front of it: the body forwarded as the
 * upstream's model, over keep-alive connections.
 */
export function chatForwarder(upstreamBaseUrl: string) {
  const agent = new Agent({ connections: 64, keepAliveTimeout: 60_000 });
  return {
    /** the upstream's answer as it comes (a stream is relayed untouched) */
    call: (body: ChatCompletionRequest) =>
      request(`${upstreamBaseUrl}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...body, model: "bench-model" }),
        dispatcher: agent,
      }),
    /** a JSON answer, named after the model the client asked for */
    answer: (body: ChatCompletionRequest, upstreamJson: unknown) => ({
      ...(upstreamJson as object),
      model: body.model,
    }),
  };
}
