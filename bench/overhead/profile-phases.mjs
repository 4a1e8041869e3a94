// Where a server's CPU goes, per request, from a V8 CPU profile of a benchmark run
// (BENCH_PROFILE_DIR=<folder> npm run bench -- overhead, or any `node --cpu-prof` run):
//
//   node bench/overhead/profile-phases.mjs <file.cpuprofile> <requests served while profiled>
//
// Each sample's time goes to the innermost frame on its stack that names a phase of the chat
// path (sealing, the log line, authentication, ...), else to the library the frame came from,
// else to "other". Prints µs per request and shares of the non-idle time. A profile covers
// the process's whole life, start-up included: profile long runs.
import { readFileSync } from "node:fs";

const [file, requestsArgument] = process.argv.slice(2);
const requests = Number(requestsArgument);
if (!file || !(requests > 0)) {
  process.stderr.write("usage: profile-phases.mjs <file.cpuprofile> <requests>\n");
  process.exit(2);
}

/** [phase, function-name pattern, script-URL pattern?, "self" when only a sample's own frame counts], innermost match wins */
const PHASES = [
  ["sealing chat logs (masking, AES-GCM)", /^(sealChatTurn|sealTurn|sealSlice|startSealing)$/],
  ["the writers' inserts (usage, chat logs)", /^(insertChatLogs|insertUsageEvents)$/],
  ["request log line (pino)", /./, /pino|sonic-boom/],
  ["metrics (prom-client)", /./, /prom-client/],
  ["authentication (HMAC, key cache)", /^(authenticateBearer|authenticate|hashApiKeySecret)$/],
  [
    "rate limits and metering",
    /^(reserveCapacity|decideCapacity|settle|finish|responseClosed|createRequestMeter|setRateLimitHeaders|endIfDone)$/,
  ],
  [
    "upstream call (request, parse, validate)",
    /^(send|complete|parseCompletion|upstreamBody|openCallScope)$/,
  ],
  ["undici (the upstream's socket)", /./, /undici/],
  ["chat route (model, data policy, answer)", /^(completeChat|completeWithModel|route|withFallback)$/],
  ["request body (parse, validate)", /^(parseJsonBody|defaultJsonParser)$/],
  ["Fastify (routing, hooks, reply)", /./, /fastify|find-my-way/],
  ["Node's HTTP server and sockets", /./, /^node:(_http|net|internal\/streams?)/],
  ["garbage collection", /^\(garbage collector\)$/],
  ["V8 and promise machinery", /^(\(program\)|runMicrotasks|processTicksAndRejections)$/, null, "self"],
  ["start-up (module loading)", /./, /^node:internal\/modules/],
];

const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const selfTime = new Map();
for (const [index, id] of profile.samples.entries()) {
  selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
}

function phaseOf(id) {
  for (let current = id; current !== undefined; current = parents.get(current)) {
    const { functionName, url } = nodes.get(current).callFrame;
    for (const [phase, name, script, only] of PHASES) {
      if (only === "self" && current !== id) continue;
      if (name.test(functionName) && (!script || script.test(url))) return phase;
    }
  }
  return "other";
}

const phases = new Map();
let busy = 0;
for (const [id, time] of selfTime) {
  if (nodes.get(id).callFrame.functionName === "(idle)") continue;
  busy += time;
  const phase = phaseOf(id);
  phases.set(phase, (phases.get(phase) ?? 0) + time);
}
process.stdout.write("| phase | µs/request | share |\n| --- | ---: | ---: |\n");
for (const [phase, time] of [...phases].sort((a, b) => b[1] - a[1])) {
  process.stdout.write(
    `| ${phase} | ${(time / requests).toFixed(0)} | ${((100 * time) / busy).toFixed(1)} % |\n`,
  );
}
process.stdout.write(`| all (not idle) | ${(busy / requests).toFixed(0)} | 100 % |\n`);
