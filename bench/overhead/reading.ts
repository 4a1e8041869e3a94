/**
 * What the overhead figures say, written into docs/benchmarks.md with every run; rewritten by
 * hand when a run says something else.
 */
export const READING = `Reading (run of 2026-12-03, machine otherwise idle: load average 1.1 before, 2.5 after). Each
target is warmed up for 10 s of JSON requests and 10 s of streams before it is measured. Runs
before this one warmed up with 1,000 requests of each, and V8's optimizing compiler was then still
at work through the measured rounds, on helper threads whose CPU counts: \`perf record -e cpu-clock\`
of the gateway during the rounds found 76 µs of its 535 µs per request in compilation (5 once
warmed), and 31 of the bare server's 166. Warmed up, both use about half the CPU per request they
did, so the figures below are not comparable with earlier runs' (the gateway's CPU per request was
3.6 times the bare server's in the last of them; warmed up it is 4.2 times).

With the memory store the gateway answers 23 % of the bare pass-through's JSON requests at 16
connections (Redis 18 %) at 4.2 times its CPU per request (328 µs against 77; Redis 5.2 times), and
25 % of its streams. The latency aims are met with the memory store: +0.21 ms at p50 for JSON (aim
0.3) and +0.45 ms to a stream's first byte (aim 0.5). With Redis, the limiter's round trip on the
request's path (one EVALSHA before the upstream call; the settlement's comes after the answer) adds
about 0.4 ms at one connection: +0.59 and +0.81 ms. The throughput and CPU aims of issue 18 (50 %
of bare, 2× its CPU) are not met. The aim of 5× Portkey cannot be met by a gateway that does work
of its own on this machine: the bare pass-through answers 8.5 times Portkey's JSON requests here,
so 5× Portkey would be 59 % of bare. The gateway answers 2.0 times Portkey's JSON requests (Redis
1.5) at 48 % of its CPU per request, and streams at 3.5 times its rate, with a first byte 27 ms
sooner.

Where the CPU goes. By thread (perf, warmed gateway, JSON at 16 connections): the event loop 92 %,
V8's helper threads (the young generation's parallel scavenges, compilation) 7 %, libuv's threads
(the log's writes) 1 %. Within the event loop, the V8 CPU profile of an earlier run, summed by
\`node bench/overhead/profile-phases.mjs <profile> <requests>\` (\`BENCH_PROFILE_DIR\`), beside the
bare pass-through's taken the same way (both before the longer warm-up, so every row holds some
compilation; the profiler adds about a fifth, and the start-up row is the share of loading the
bundle):

| phase | gateway µs/request | bare µs/request |
| --- | ---: | ---: |
| Node's HTTP server and sockets | 126 | 124 |
| undici (the upstream's socket) and the upstream call (request, parse, validate) | 110 | 92 |
| Fastify (routing, ten hooks, reply)                 | 70 | – |
| garbage collection | 61 | 18 |
| sealing chat logs (PII masking, two AES-GCM ciphertexts) | 53 | – |
| V8 and promise machinery, and code of no phase | 96 | 61 |
| request log line (pino) | 38 | – |
| rate limits and metering | 29 | – |
| authentication (HMAC of the key, cache) | 26 | – |
| request body (parse, validate) | 18 | – |
| chat route (model, data policy, answer) | 16 | – |
| the writers' inserts (usage events, chat logs; batched) | 7 | – |
| metrics (prom-client) | 4 | – |
| start-up (module loading) | 36 | 6 |

No single part holds the rest: what the gateway adds is spread over a dozen parts, and the
garbage they leave (about 100 KB allocated per request, sampled with V8's heap profiler; no
allocator above 5 % of it). Fixed from these profiles: AES-GCM took each data key as a Buffer,
whose check cost a caught TypeError per cipher (now a KeyObject made once per key); the log line
was one write system call per request (now gathered up to 4 KB or 250 ms); the route built an
AbortSignal.any per request; a presented key was hashed with the peppered HMAC on every request
(the cache is now looked up by an unkeyed SHA-256, the HMAC only on a miss); PII masking's
\`matchAll\` set a copy of each pattern up on every call; and a stream wrote each event to the
socket on its own (now the events of one turn of the event loop go as one write: 6 % less CPU
per stream in an interleaved comparison). Tried without an effect beyond the machine's variation:
a larger young generation (\`--max-semi-space-size\` 16, 32, 64), single-threaded GC, and callback
hooks instead of async ones for the seven plugins' onRequest and onResponse hooks. The two cores
also bound what node:cluster gives: two gateway processes answer as many JSON requests as one at
16 connections and a little more at 64, since the load generator, the upstream, PostgreSQL and
Redis run on the same two cores. Halving the CPU per request, as the aims ask, needs less work
in every part at once, starting with the framework and the garbage. Run-to-run variation on this
machine is large (a row's CPU per request moves by a fifth between runs), so compare rows of one
run.`;
