/**
 * The bare pass-through the benchmarks compare the gateway with: the same HTTP work (read and
 * parse the JSON body, answer JSON, or relay a stream's events) with nothing in between: no
 * authentication, no limits, no database, no metering.
 *
 *   node --import tsx bench/limits/bare-server.ts local            the built-in local model (JSON only)
 *   node --import tsx bench/limits/bare-server.ts proxy <baseUrl>  forwards to an upstream
 *
 * Prints "listening http://127.0.0.1:PORT".
 */
import http from "node:http";
import { pipeline } from "node:stream/promises";
import type { ChatCompletionRequest } from "@dsc/api-client";
import { createLocalProvider } from "@dsc/core";
import { chatForwarder } from "./forward-chat.ts";

const [mode, upstreamBaseUrl] = process.argv.slice(2);
const local = createLocalProvider();
const upstream = chatForwarder(upstreamBaseUrl ?? "");

async function answer(body: ChatCompletionRequest): Promise<string> {
  if (mode === "local") {
    const signal = new AbortController().signal;
    return JSON.stringify(await local.complete({ request: body, signal }));
  }
  const response = await upstream.call(body);
  return JSON.stringify(upstream.answer(body, await response.body.json()));
}

/** The upstream's events as they come, untouched: what any streaming proxy must do at least. */
async function relayStream(body: ChatCompletionRequest, response: http.ServerResponse): Promise<void> {
  if (mode !== "proxy") throw new Error("streams need proxy mode");
  const relayed = await upstream.call(body);
  response.writeHead(relayed.statusCode, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
  });
  await pipeline(relayed.body, response);
}

const server = http.createServer(async (request, response) => {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  try {
    const body = JSON.parse(Buffer.concat(parts).toString("utf8")) as ChatCompletionRequest;
    if (body.stream === true) {
      await relayStream(body, response);
      return;
    }
    const text = await answer(body);
    response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    response.end(text);
  } catch (error) {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.writeHead(500);
    response.end(String(error));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address && typeof address === "object")
    process.stdout.write(`listening http://127.0.0.1:${address.port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
