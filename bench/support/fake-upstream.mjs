// A fixed OpenAI-compatible answer for the benchmarks, in a process of its own:
// `node bench/support/fake-upstream.mjs [--without-usage]` prints "listening http://127.0.0.1:PORT".
// It reads the whole request and answers at once. --without-usage leaves the usage object out,
// so that the gateway counts the tokens itself, as it must for upstreams that send none.
import http from "node:http";

const answer = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "bench-model",
  choices: [{ index: 0, message: { role: "assistant", content: "Fine, thank you." }, finish_reason: "stop" }],
  ...(!process.argv.includes("--without-usage") && {
    usage: { prompt_tokens: 14, completion_tokens: 5, total_tokens: 19 },
  }),
});

const server = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(answer),
    });
    response.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
