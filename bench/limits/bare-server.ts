/**
 * The bare pass-through the limits benchmark compares the gateway with: the same HTTP work
 * (read and parse the JSON body, answer JSON) with nothing in between: no authentication, no
 * limits, no database, no metering.
 *
 *   node --import tsx bench/limits/bare-server.ts local            the built-in local model
 *   node --import tsx bench/limits/bare-server.ts proxy <baseUrl>  forwards to an upstream
 *
 * Prints "listening http://127.0.0.1:PORT".
 */
import http from "node:http";
import type { ChatCompletionRequest } from "@dsc/api-client";
import { createLocalProvider } from "@dsc/core";
import { Agent, request as upstreamRequest } from "undici";

const [mode, upstreamBaseUrl] = process.argv.slice(2);
const local = createLocalProvider();
const agent = new Agent({ connections: 64, keepAliveTimeout: 60_000 });

async function answer(body: ChatCompletionRequest): Promise<string> {
  if (mode === "local") {
    const signal = new AbortController().signal;
    return JSON.stringify(await local.complete({ request: body, signal }));
  }
  const response = await upstreamRequest(`${upstreamBaseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, model: "bench-model" }),
    dispatcher: agent,
  });
  return JSON.stringify({ ...((await response.body.json()) as object), model: body.model });
}

const server = http.createServer(async (request, response) => {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  try {
    const text = await answer(JSON.parse(Buffer.concat(parts).toString("utf8")));
    response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
    response.end(text);
  } catch (error) {
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
