/**
 * What the overhead figures say, written into docs/benchmarks.md with every run; rewritten by
 * hand when a run says something else.
 */
export const READING = `Reading (run of 2026-12-03, machine otherwise idle: load average 1.8 before, 2.8 after). The
gateway answers 26 % of the bare pass-through's JSON requests at 16 connections with the memory
store and 22 % with Redis, because it spends 3.6 times (Redis: 4.1 times) the bare server's CPU
per request on the one core it is pinned to: about 600 µs against 170. Latency at one connection
is within reach: +0.27 ms at p50 for JSON (aim 0.3), +0.56 ms to a stream's first byte (aim 0.5).
The throughput and CPU aims of issue 18 (50 % of bare, 2× its CPU) are not met. The aim of 5×
Portkey cannot be met by any gateway that does work of its own on this machine: the bare
pass-through itself answers 5.4 times Portkey's requests here (the issue's run had 10.4), so 5×
Portkey is 93 % of bare. The gateway answers 1.4 times Portkey's JSON requests (Redis 1.2), at 65 %
of its CPU per request, and streams at 2.8 times its rate with a first byte 27 ms sooner.

Where the gateway's microseconds go, from V8 CPU profiles of the bundle at 16 connections
(\`BENCH_PROFILE_DIR\`, summed by \`node bench/overhead/profile-phases.mjs <profile> <requests>\`),
beside the bare pass-through's profile taken the same way; the profiler adds about a fifth, and
the start-up row is the profile's share of loading the bundle:

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

No single part holds the rest: what the gateway adds is spread over a dozen parts of 5 to 70 µs,
and the garbage they leave (61 µs of collection against 18, for turns and records held until
their batch is written). Found and fixed by this profile: AES-GCM took each data key as a Buffer,
and Node tells a Buffer from a KeyObject by catching a TypeError whose stack trace cost about
20 µs per cipher, two per turn (now a KeyObject made once per key: 27 µs against 5 per seal); the
log line was one write system call per request (now gathered up to 4 KB or 250 ms); and the route
built an AbortSignal.any per request (now one controller). Tried without an effect beyond the
machine's variation: a larger young generation (\`--max-semi-space-size\` 16, 32, 64). The two
cores also bound what node:cluster gives: two gateway processes answer as many JSON requests as
one at 16 connections and 25 % more at 64, since the load generator, the upstream, PostgreSQL and
Redis run on the same two cores; on a machine with cores to spare for the gateway, processes
scale it where one event loop cannot. Halving the CPU per request, as the aims ask, needs work on
every part at once: the chat-log turn in one ciphertext, masked and sealed in one pass; the
plugins' onRequest hooks as one; a cheaper path for the key's HMAC; less kept per queued turn.
Run-to-run variation on this machine is large (a row's CPU per request moves by a fifth between
rounds), so compare rows of one run.`;
