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
import { chatForwarder } from "./forward-chat.ts";

const [upstreamBaseUrl] = process.argv.slice(2);
const upstream = chatForwarder(upstreamBaseUrl ?? "");
const app = Fastify({ logger: false, keepAliveTimeout: 60_000 });

app.post("/v1/chat/completions", async (request, reply) => {
  const body = request.body as ChatCompletionRequest;
  const relayed = await upstream.call(body);
  if (body.stream === true) {
    // the upstream's events as they come, untouched, as the bare server relays them
    return reply
      .code(relayed.statusCode)
      .header("content-type", "text/event-stream")
      .header("cache-control", "no-cache")
      .send(relayed.body);
  }
  return upstream.answer(body, await relayed.body.json());
});

const address = await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`listening ${address}\n`);
process.on("SIGTERM", () => {
  void app.close().then(() => process.exit(0));
});
