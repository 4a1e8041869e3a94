/**
 * The bare pass-through's work (bench/limits/bare-server.ts) on the framework the gateway is built
 * on: the same upstream call, with Fastify's router, body parser and reply in front of it, and
 * nothing else (no hooks, no logger, no schemas). The overhead benchmark runs it beside the bare
 * server to show what the framework alone costs, the floor under any gateway built on it.
 *
 *   node bench/limits/dist/fastify-server.js <baseUrl>   forwards to an upstream
 *
 * Prints "listening http://127.0.0.1:PORT".
 */
import type { ChatCompletionRequest } from "@dsc/api-client";
import Fastify from "fastify";
import { Agent, request as upstreamRequest } from "undici";

const [upstreamBaseUrl] = process.argv.slice(2);
const agent = new Agent({ connections: 64, keepAliveTimeout: 60_000 });
const app = Fastify({ logger: false, keepAliveTimeout: 60_000 });

app.post("/v1/chat/completions", async (request, reply) => {
  const body = request.body as ChatCompletionRequest;
  const upstream = await upstreamRequest(`${upstreamBaseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, model: "bench-model" }),
    dispatcher: agent,
  });
  if (body.stream === true) {
    // the upstream's events as they come, untouched, as the bare server relays them
    return reply
      .code(upstream.statusCode)
      .header("content-type", "text/event-stream")
      .header("cache-control", "no-cache")
      .send(upstream.body);
  }
  return { ...((await upstream.body.json()) as object), model: body.model };
});

const address = await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`listening ${address}\n`);
process.on("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
