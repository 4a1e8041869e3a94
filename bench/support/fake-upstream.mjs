// A fixed OpenAI-compatible answer for the benchmarks, in a process of its own:
// `node bench/support/fake-upstream.mjs [--without-usage]` prints "listening http://127.0.0.1:PORT".
// It reads the whole request and answers at once: JSON, or when the body asks for `"stream": true`
// the same completion as server-sent events, all written in one go (a final usage chunk only when
// `stream_options.include_usage` asks, as OpenAI does). --without-usage leaves the usage out of
// both, so that the gateway counts the tokens itself, as it must for upstreams that send none.
import http from "node:http";

const withUsage = !process.argv.includes("--without-usage");
const usage = { prompt_tokens: 14, completion_tokens: 5, total_tokens: 19 };

const answer = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "bench-model",
  choices: [{ index: 0, message: { role: "assistant", content: "Fine, thank you." }, finish_reason: "stop" }],
  ...(withUsage && { usage }),
});

/** The answer as `data:` events: role, two content deltas, the finish, then optionally the usage. */
function streamOf(includeUsage) {
  const chunk = (choices, extra = {}) =>
    `data: ${JSON.stringify({ id: "chatcmpl-bench", object: "chat.completion.chunk", created: 1_700_000_000, model: "bench-model", choices, ...extra })}\n\n`;
  const delta = (content) => chunk([{ index: 0, delta: content, finish_reason: null }]);
  return [
    delta({ role: "assistant", content: "" }),
    delta({ content: "Fine, " }),
    delta({ content: "thank you." }),
    chunk([{ index: 0, delta: {}, finish_reason: "stop" }]),
    includeUsage && withUsage ? chunk([], { usage }) : "",
    "data: [DONE]\n\n",
  ].join("");
}
const streams = { withUsage: streamOf(true), withoutUsage: streamOf(false) };

/** The events for this body, or null for a JSON answer; a body that is not JSON gets the JSON answer. */
function eventsFor(body) {
  // parsed only when it may ask for a stream, so that large JSON prompts cost this process little
  if (body.indexOf('"stream"') < 0) return null;
  let request;
  try {
    request = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  if (request?.stream !== true) return null;
  return request.stream_options?.include_usage === true ? streams.withUsage : streams.withoutUsage;
}

const server = http.createServer((request, response) => {
  const parts = [];
  request.on("data", (part) => parts.push(part));
  request.on("end", () => {
    const events = eventsFor(Buffer.concat(parts));
    if (events === null) {
      response.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(answer),
      });
      response.end(answer);
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    response.end(events);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
