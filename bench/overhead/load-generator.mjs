// The overhead benchmark's load generator, a process of its own so that it can be pinned to a core
// other than the server's: `node bench/overhead/load-generator.mjs` prints "ready", then reads one
// round a line on stdin (JSON: url, path, headers, body, connections, requests, maxSeconds, stream)
// and answers each with one line of figures (or { error }) on stdout. Plain JavaScript, so that it
// runs on node without a loader.
import { createInterface } from "node:readline";
import { Pool } from "undici";

/** One closed-loop round: each connection sends its next request when its last is fully answered. */
async function runRound(round) {
  const pool = new Pool(round.url, {
    connections: round.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
  });
  const latencies = new Float64Array(round.requests);
  const firstBytes = new Float64Array(round.requests);
  let next = 0;
  let completed = 0;
  const started = performance.now();
  const deadline = started + round.maxSeconds * 1_000;
  const send = async () => {
    while (next < round.requests && performance.now() < deadline) {
      const index = next++;
      const sent = performance.now();
      const response = await pool.request({
        path: round.path,
        method: "POST",
        headers: round.headers,
        body: round.body,
      });
      const answer = await readAnswer(response.body, sent);
      if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}: ${answer.tail}`);
      // a stream that fails midway ends without [DONE]; it must not count as answered
      if (round.stream && !answer.tail.includes("data: [DONE]"))
        throw new Error(`stream ended: ${answer.tail}`);
      latencies[index] = performance.now() - sent;
      firstBytes[index] = answer.firstByte;
      completed += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: round.connections }, send));
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - started) / 1_000;
  // requests not sent before the deadline were never measured
  const measured = (values) => values.subarray(0, next).sort();
  const done = measured(latencies);
  const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
  const firsts = measured(firstBytes);
  return {
    requests: completed,
    seconds,
    requestsPerSecond: completed / seconds,
    p50: at(done, 0.5),
    p99: at(done, 0.99),
    mean: done.reduce((a, b) => a + b, 0) / done.length,
    firstByteP50: at(firsts, 0.5),
    firstByteP99: at(firsts, 0.99),
  };
}

/** Reads a body to its end: when its first chunk came (ms after `sent`) and its last 200 characters. */
function readAnswer(body, sent) {
  return new Promise((resolve, reject) => {
    let firstByte = null;
    let tail = "";
    body.on("data", (chunk) => {
      firstByte ??= performance.now() - sent;
      tail = (tail + chunk.toString("utf8")).slice(-200);
    });
    body.on("end", () => resolve({ firstByte: firstByte ?? performance.now() - sent, tail }));
    body.on("error", reject);
  });
}

const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
for await (const line of lines) {
  if (!line.trim()) continue;
  const figures = await runRound(JSON.parse(line)).catch((error) => ({
    error: String(error?.stack ?? error),
  }));
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}
