// An OpenAI-compatible upstream for the hostile-input benchmark, in a process of its own:
// `node bench/hostile/fake-upstream.mjs` prints "listening http://127.0.0.1:PORT". It reads
// the whole request and answers at once without a usage object, so that the gateway counts
// the prompt's tokens itself, as it must for upstreams that send none.
import http from "node:http";

const answer = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "bench-model",
  choices: [{ index: 0, message: { role: "assistant", content: "Fine, thank you." }, finish_reason: "stop" }],
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
