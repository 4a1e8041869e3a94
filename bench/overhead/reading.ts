/**
 * What the overhead figures say, written into docs/benchmarks.md with every run; rewritten by
 * hand when a run says something else.
 */
export const READING = `Reading (three runs of 2026-12-05 at f2df927, eighth session, on an Intel Xeon host; the tables
are of the third). With the memory store the gateway answered 32, 46 and 48 % of the bare
pass-through's JSON requests at 16 connections, at 3.1, 1.8 and 1.9 times its CPU per request (290,
234 and 282 µs against 93, 128 and 149); with Redis 32, 29 and 42 %, at 2.8, 3.1 and 2.0 times
(260, 397 and 300 µs). JSON p50 at one connection: +0.14, +0.23 and +0.21 ms with the memory store,
+0.39, +0.51 and +0.26 ms with Redis (aim 0.3); a stream's first byte +0.29, +0.44 and +0.39 ms, and
+0.45, +0.63 and +0.51 ms with Redis (aim 0.5). At the medians of the three runs the memory store
meets its CPU aim (1.9 times) and both latency aims, and misses its throughput aim (46 %); the Redis
store meets none (32 %, 2.8 times, +0.39 ms, +0.51 ms); neither reaches 5× Portkey (the gateway
answered 2.1, 2.5 and 1.8 times Portkey's JSON requests with the memory store, 2.2, 1.6 and 1.6 with
Redis; the bare server 6.7, 5.5 and 3.8 times). This host's rounds say more about the host than
about the gateway: at 16 connections the bare server used 158, 60 and 93 µs per JSON request in the
three rounds of the first run, 231, 83 and 128 in the second and 220, 149 and 136 in the third; the
Fastify pass-through 150, 70 and 80, then 183, 87 and 107, then 108, 99 and 86; the gateway with the
memory store 301, 189 and 290, then 234, 229 and 308, then 282, 279 and 284; with Redis 238, 260 and
292, then 328, 542 and 397, then 300, 360 and 221. In the same rounds the server's core did 0 to 38
µs per request of other work, the hypervisor took nothing and the load side's core was idle 7 to 58
% of the time: the servers' own CPU per request moved by half and more from round to round with
nothing else on their core, by more than the margins the aims are decided by. The seventh session's
AMD EPYC host, where every target held steadier, met all but two aims at the medians (below).
PostgreSQL spent 51 to 82 µs per gateway request.

This session's change to the gateway. The Redis limiter gathers a turn's checks as it gathered
its settlements: the checks made in one turn of the event loop go as one script when the turn ends,
decided in order, each seeing what the ones before it spent, as if sent one by one (at most 64 to a
script, so that none holds the Redis server long), and a turn's scripts take the keys of every
organization (one Redis server allows that; on Redis Cluster they would have to be split by slot).
Counted with \`MONITOR\` over a run of the Redis store's rows (\`BENCH_ONLY=gateway-redis\`, one round):
42,049 requests, 7,598 check scripts and 8,122 correction scripts, 0.37 scripts a request where the
seventh session counted 1.2 and the sixth 2; nothing else reaches Redis per request. In process (a
script against the machine's Redis, pinned to one core, 16 requests in flight, each a check of two
buckets and the settlement of one, rounds of 40,000 after 5,000 to warm up), the limiter used 16 to
21 µs of CPU per request against 25 to 29 for the previous build when the requests were one
organization's, and 18 to 21 against 34 to 38 when they were spread over 1,000 organizations (a
first version that batched by the organization's hash tag was dearer there than the previous build,
39 to 45 µs, and was replaced); Redis itself used 22 to 29 µs per request against 29 to 36. In the
gateway the change is within this host's noise: beside the previous build (\`BENCH_BASELINE\`, five
rounds of the Redis store), 344 against 344 µs per JSON request at 16 connections (the rounds of
each from 286 to 407), and 0.78 against 0.84 ms JSON p50 at one connection.

The run before (three runs of 2026-12-05 at 44f627a, seventh session, on an AMD EPYC host, where
each round's own figures were added): with the memory store 53, 39 and 56 % of the bare
pass-through's JSON requests at 16 connections, at 1.84, 2.36 and 1.6 times its CPU per request;
with Redis 45, 36 and 43 %, at 1.95, 2.71 and 2.2 times; JSON p50 +0.06 to +0.09 ms and a stream's
first byte +0.12 to +0.21 ms with the memory store, +0.23 to +0.27 and +0.30 to +0.33 ms with Redis;
at the medians every aim met but 5× Portkey (2.3 times; the bare server 4.1 to 5.7) and the Redis
store's CPU (2.2 times). The bare server's first round was slow in three of that session's four full
runs (197 and 219 µs per JSON request where its other rounds took 75 to 126), with its core otherwise
idle and its load generator not starved, and idling alone did not slow it; the run without a slow
first round met none of the throughput and CPU aims. That session's change merged the Redis
limiter's settlements of one turn (1.2 scripts a request instead of 2) and made the chat-log
writer's queue linear.

The bare server's cost (sixth session). The reading before it guessed that the bare server is dearer than
the Fastify pass-through because it reads its body with \`for await\`. It is not: run alone with the
Fastify pass-through (\`BENCH_ONLY=bare,fastify\`, five rounds each, back to back on this host), it
used 86 to 100 µs per JSON request at 16 connections reading the body with \`for await\` and 91 to 96
with the body's \`data\` and \`end\` events, beside Fastify's 75 to 88; the change was not kept. In the
full runs it used 129 to 355 µs, and it promoted 0.3 to 3.5 KB per request into V8's old generation
(the Fastify pass-through 0 to 0.9 KB), with 6 to 45 µs of collections on its main thread per
request; its rounds above 190 µs promoted 1.8 to 3.5 KB, those under 150 µs 0.3 to 2.0. Why it keeps that much
of a request, and why more in the full runs, was not found this session; a young generation held at
16 MB in every server (\`BENCH_NODE_ARGS=--min-semi-space-size=16\`, four targets, three rounds) did
not steady it (119 to 174 µs per JSON request, the Fastify pass-through 93 to 151, the same four
targets without it 111 to 204 and 97 to 250 just after).

The framework's floor (added in the fifth session; its figures are of that session's runs). The bare pass-through is not the cheapest
server that does its work: the same pass-through on Fastify (\`bench/limits/fastify-server.ts\`, the
gateway's router, body parser and reply with no hooks, logger or schemas) answered 157, 180 and 136 %
of its JSON requests at 16 connections, at 52, 50 and 68 µs of CPU each against its 85, 84 and 93.
Why it is dearer was not measured then (see "The bare server's cost" above: not its body's
async iterator); it also varies more between hosts (from 61 to 129 µs per request in
the runs of this day's sessions), which is much of why the ratios above swing from host to host. Beside the Fastify pass-through, the
gateway with the memory store used 4.0, 4.1 and 2.6 times its CPU and answered 23, 24 and 35 % of its
JSON requests: the framework is not where the gateway's CPU goes, the gateway's own work is: 156, 156
and 113 µs per request of its 208, 206 and 181. Where that goes, from \`perf record -g\` at 2,999 Hz on the
pinned servers during their JSON rounds at 16 connections (\`BENCH_NODE_ARGS=--perf-prof\`, then
\`perf inject --jit\`, whose code-move records keep the names of V8's compiled functions right; the
\`--perf-basic-prof\` map used before names a function by whatever code sat at an address last, and
here put a token counter's name on the chat route's code and a socket getter's on the sealing; the gateway at 193 µs of main-thread CPU per request in that round,
perf's own cost included, the Fastify pass-through at 48), in µs per request of the event-loop thread,
each part with what it calls (so the parts overlap):

| part                                                                                     | gateway | Fastify pass-through |
| ---------------------------------------------------------------------------------------- | ------: | -------------------: |
| system calls, all                                                                        |      26 |                   12 |
| ...of them waking the receiving process (\`_raw_spin_unlock_irqrestore\`)                  |      11 |                    3 |
| the reply (\`Reply.send\`: serializing, onSend, the answer's write)                        |      20 |                  7.5 |
| ...the answer's write (\`end\` of the response, its write system call)                     |      15 |                    5 |
| the request to the upstream (undici \`writeH1\`, its write system call)                    |      11 |                    8 |
| reading the upstream's answer (undici's socket callback, llhttp in WebAssembly)          |      12 |                    6 |
| sealing the chat log (PII masking 3.4, AES-GCM 9.3 of which setting up its ciphers 4.0)  |      18 |                    – |
| the onResponse hooks (the request log line, pino 6.1; prom-client 2.1)           |      14 |                    – |
| the response's close listeners (the meter's settlement, the call's signals)              |       7 |                  0.1 |
| node-postgres (the usage events' and chat logs' batched statements), and the COPY's rows |       9 |                    – |
| parsing and validating the upstream's completion (JSON.parse, zod)                       |       5 |                    – |
| the rate limits' check and settlement (memory store)                                     |       2 |                    – |
| authentication (the key's digest, the cache)                                             |       3 |                    – |
| garbage collection on the event loop                                                     |       3 |                  0.5 |

The same two writes and the same upstream answer cost the gateway about 20 µs more than they
cost the Fastify pass-through: at a quarter to a third of its rate more of the gateway's writes
find their receiver asleep (see "Why the kernel takes the gateway more per request" below).
On the event-loop thread the memory store's rows used 175, 176 and 173 µs per JSON request with the
chat log and 131, 141 and 137 without it, so the chat log (masking, sealing, its writer and its share
of the pg client) is 35 to 44 µs. The rest is the request's bookkeeping, spread as the earlier
profiles found: the log line and metrics 8, the meter's settlement 7, the upstream's validation 5,
authentication and limits 5, and Fastify's ten hooks with their promises. Over the Fastify floor,
the issue's 2× the bare server's CPU (170, 168 and 186 µs in the three runs) leaves the gateway's
own work about 118 µs in each, where it took 156, 156 and 113.

The run before (three runs of 2026-12-05 at 634c03d, fifth session, an Intel Xeon host): with the
memory store 35, 44 and 48 % of the bare pass-through's JSON requests at 16 connections at 2.5, 2.4
and 1.9 times its CPU (208, 206 and 181 µs against 85, 84 and 93); with Redis 37, 41 and 39 % at 2.4
times; +0.14 ms JSON p50 and +0.23 to +0.25 ms to a stream's first byte with the memory store, +0.32
to +0.35 and +0.42 to +0.45 ms with Redis (one limiter check, called from Node one at a time against
that machine's Redis, took 0.085 ms at p50, of which Redis spent 19 µs running the script); 1.7 to
2.3 times Portkey's JSON requests, the bare server 4.8 to 4.9 times; PostgreSQL 43 to 47 µs per request.

The one before (three runs of 2026-12-05 at 8f647d6, fourth session, another Intel Xeon host): with
the memory store 31, 23 and 27 % of the bare pass-through's JSON requests at 16 connections (Redis 25,
21 and 26 %) at 3.1, 4.1 and 3.8 times its CPU per request (Redis 3.6, 4.7 and 3.5): there the bare
server took 61 to 73 µs per request and the gateway 225 to 262. Latency: +0.12 to +0.17 ms JSON p50
and +0.28 ms to a stream's first byte with the memory store, +0.36 to +0.38 and +0.49 to +0.60 ms
with Redis. 1.9 to 2.3 times Portkey's JSON requests; PostgreSQL 50 to 52 µs per request.

The one before that (2026-12-05 at 444bbe7, on an AMD EPYC host, load average 0.6; the chat log's rows
newly written by binary \`COPY\`, see "The chat log's rows" below): with the memory store 46 % of the
bare pass-through's JSON requests at 16 connections (Redis 35 %) at 2.1 times its CPU per request
(Redis 2.7), 34 % of its streams; +0.18 ms JSON p50 and +0.31 ms to a stream's first byte (Redis
+0.36 and +0.48 ms); 1.9 times Portkey's JSON requests, with the bare server at 4.1 times; PostgreSQL
77 µs per request (23 opted out), against 91 (27) in the run before it. The host slowed during that
run: the Redis store's streams at 16 connections fell from 1,855 a second in its first round to
1,140 in its third. Its collector columns: 9 µs of main-thread time in the garbage collector per
JSON request with the memory store and 14 with Redis, 0.9 and 1.1 KB promoted a request, against
the bare server's 12 µs and 0.8 KB.

Before it (2026-12-05, at 05a4151, the same AMD host, the chat logs still inserted by statement):
44 % and 2.1 times with the memory store, PostgreSQL 91 µs per request; with Redis 33 % and 2.7
times, +0.34 ms JSON p50 and +0.43 ms to a stream's first byte. The one before it (at 35f5b3e,
before the Redis connection corked its socket): 45 % and 2.1 times with the memory store; with
Redis 34 % and 2.8 times, +0.44 ms and +0.51 ms. The one before that (at 844ff91, on an Intel Xeon host): 35 %
and 2.7 times with the memory store, 25 % and 3.8 with Redis.

Without the chat log (the new row: the same gateway process, every request sent with
\`X-Data-Opt-Out: true\`, so usage is metered and nothing is logged or cached). Its rounds in the run
above are too short to tell (3,000 requests, under a second), so the same build ran again at once
with \`BENCH_ONLY=bare,gateway-memory,gateway-memory-opt-out\`, five rounds of 8,000 requests:
at 16 connections the gateway answered 4,140 JSON requests a second at 221 µs of CPU each with the
chat log, and 5,160 at 184 µs without it, against the bare server's 13,277 at 72 µs; streams 2,619
at 363 µs and 3,083 at 313, against 8,274 at 114. So the chat log (masking, sealing, its batched
insert) costs the gateway 37 µs of 221 per JSON request, and PostgreSQL 35 (52 µs per request with
it, 17 without). Without it the gateway answers 39 % of the bare server's JSON requests at 2.6
times its CPU: the aims stay out of reach with the chat log apart too, so no single feature stands
between the gateway and them.

The evening's reading (2026-12-04, a faster host; three runs): with the memory store the gateway
answered 28 to 31 % of the bare pass-through's JSON requests at 16 connections (Redis 22 to 25 %)
at 3.0 to 3.1 times its CPU per request (Redis 3.7 to 4.3), and 25 to 29 % of its streams; the
latency aims were met with the memory store in all three runs (+0.07 to +0.11 ms, +0.14 to +0.22
ms), and with Redis the JSON one in two of three (+0.27 to +0.34 ms). The gateway answered 1.7 to
2.2 times Portkey's JSON requests at 16 connections at 41 to 52 % of its CPU per request; the bare
pass-through answered 5.5 to 7.7 times Portkey's. PostgreSQL spent 39 to 58 µs per gateway request.

The earlier session's reading (run of 2026-12-03, second session, load average 2.2): the gateway
answered 40 % of the bare pass-through's JSON requests at 16 connections (Redis 37 %) at 2.1 times
its CPU per request (304 µs against 142; Redis 2.7 times), and 34 % of its streams; three
unprofiled runs put it at 31 to 40 % and 2.1 to 2.8 times. That host's bare server was slow, not
the gateway fast: the same day's first run had the bare server at 77 µs and the gateway at 23 %.
Compare rows of one run only: within a run a row moves by a fifth between rounds. That day the
latency aims were met with the memory store (+0.18 ms and +0.38 ms) and not with Redis (+0.44 and
+0.56 ms).

Where the CPU goes. By thread (perf, warmed gateway, JSON at 16 connections, the earlier session): the
event loop 92 %, V8's helper threads (the young generation's parallel scavenges, compilation) 7 %,
libuv's threads (the log's writes) 1 %. Within the event loop, V8 CPU profiles of this session's
warmed servers (\`BENCH_PROFILE_DIR\`; the requests each answered are estimated here from the rates of
the rounds and the warm-up, so read the rows to a tenth; the benchmark now logs them),
summed by \`node bench/overhead/profile-phases.mjs <profile> <requests>\`: JSON and streams as the
benchmark sends them, warm-up included, the profiler's own cost included (it adds about a fifth),
and system calls counted at their wall time (the socket writes in Node's row):

| phase | gateway µs/request | bare µs/request |
| --- | ---: | ---: |
| Node's HTTP server and sockets | 121 | 88 |
| undici (the upstream's socket) and the upstream call (request, parse, validate) | 68 | 34 |
| garbage collection | 60 | 15 |
| Fastify (routing, ten hooks, reply) | 42 | – |
| sealing chat logs (PII masking, two AES-GCM ciphertexts) | 34 | – |
| request log line (pino) | 34 | – |
| rate limits and metering | 17 | – |
| request body (parse, validate) | 13 | – |
| chat route (model, data policy, answer) | 11 | – |
| authentication (key digest, cache) | 8 | – |
| the writers' inserts (usage events, chat logs; batched) | 5 | – |
| metrics (prom-client) | 3 | – |
| V8 and promise machinery, and code of no phase (the streams' event parsing and writing among it) | 112 | 29 |
| start-up (module loading) | 18 | 7 |
| all | 546 | 173 |

No single part holds the rest: what the gateway adds is spread over a dozen parts, and the
garbage they leave (about 100 KB allocated per request, sampled with V8's heap profiler; no
allocator above 5 % of it). Fixed from these profiles: AES-GCM took each data key as a Buffer,
whose check cost a caught TypeError per cipher (now a KeyObject made once per key); the log line
was one write system call per request (now gathered up to 4 KB or 250 ms); the route built an
AbortSignal.any per request; a presented key was hashed with the peppered HMAC on every request
(the cache is now looked up by an unkeyed SHA-256, the HMAC only on a miss); PII masking's
\`matchAll\` set a copy of each pattern up on every call; a stream wrote each event to the socket
on its own (now the events of one turn of the event loop go as one write: 6 % less CPU per
stream in an interleaved comparison); and a stream left its upstream body at \`[DONE]\`, which
made Node destroy the body with an AbortError whose stack it formatted (2.7 % of the gateway's
CPU in the earlier session's profile), and closed the upstream connection whenever the body's end
came in a later packet than \`[DONE]\` (now the rest is read, at most 64 KiB and one second: 12 %
less CPU per stream at one connection, and 0.1 ms sooner to the first byte, beside the previous
build in one run, \`BENCH_BASELINE\`). Tried without an effect beyond the machine's variation:
a larger young generation (\`--max-semi-space-size\` 16, 32, 64), single-threaded GC, callback
hooks instead of async ones for the seven plugins' onRequest and onResponse hooks, and log writes
gathered up to 12 KB instead of 4 KB. The two cores also bound what node:cluster gives: two
gateway processes answer a fifth more JSON requests than one, since the load generator, the
upstream, PostgreSQL and Redis run on the same two cores. Halving the CPU per request needs less
work in every part at once. (The framework itself costs little: see "The framework's floor" above.)

What each part costs, measured from outside (the day's third session, on a quieter run: \`BENCH_ONLY=bare,gateway-memory,gateway-baseline\`,
seven interleaved rounds of a build with parts taken out beside the unchanged one; memory store; CPU
per JSON request at 16 connections, streams in brackets): the unchanged gateway 302 µs (378) against
the bare pass-through's 105 (129), answering 35 % of its JSON requests. Without the chat logs
(masking, sealing and their batched inserts) 240 against 303 (342 against 422): the largest single
part, a fifth. Without the chat logs, the request log line and the rate limits, 201 (282), and 48 %
of the bare server's JSON requests. So 2× the bare server's CPU and half its throughput is what this
gateway reaches with none of those three on; with everything on, the aims ask them to cost close to
nothing together, where they cost a third. The profiles above overstate system calls on a busy core:
a sample's interval is wall time, and the sample after an asynchronous log write often waited
milliseconds for the core (the thread that writes, PostgreSQL and Redis share it), so the log's
writes showed 18 µs a request where a line costs 4 to 5 µs in isolation.

Tried for the Redis store, and reverted: the limiter's checks and settlements of one organization
sent together as one Lua script, a settlement travelling with the next check (at most 5 ms later),
which halves the round trips to Redis. In process the limiter's own CPU per request fell from about
29 to 24 µs with 16 requests in flight and from about 150 to 115 µs with one at a time; in the
gateway, beside the unchanged build in seven interleaved rounds, every difference stayed within the
machine's variation (JSON at 16 connections 345 against 311 µs, at 64 279 against 284; streams 399
against 398; JSON p50 at one connection 0.59 against 0.58 ms), and other gateways would have seen a
settlement up to 5 ms later. At one connection Redis adds about 0.3 ms where the script's round trip
takes 0.06 ms in a tight loop: each request wakes an idle Redis and an idle gateway once more, which
on this virtual machine costs tenths of a millisecond. Only a limiter that does not wait for Redis on
the request's path (a local lease of the organization's budget, or an asynchronous check that gives
up exactness) would meet the 0.3 ms aim here.

PostgreSQL's share (the day's fourth session). The database works for every request too, after
the answer: its usage event and its chat log are inserted in batches. Its CPU was measured from
/proc (every postgres process of the machine, during a round of 8,000 JSON requests at 16
connections to the built gateway and for 1.2 s after it, five rounds interleaved with the previous
build): 88 to 93 µs per request, a third of the gateway's own, on the same two cores (PostgreSQL is
not pinned), which is part of why the gateway's share of the bare server's throughput stays below
what its CPU per request alone allows. With \`X-Data-Opt-Out\` (no chat log) it was about 40. By
statement (EXPLAIN ANALYZE, and the inserting connection's CPU over 100 batches): a chat log row
cost 30 to 37 µs (its heap tuple, primary key and five indexes 20, the two foreign keys' checks
6.5), a usage event 49.5, most of it in the roll-ups: each event's 43 measures were aggregated once
per table and grain, ten times (13 for an event naming an end user), with the latency bucket
computed 24 times each time, and the
statement was planned anew for every batch (1.1 ms). The roll-ups now add up the batch's events
grouped once by minute and dimension, the bucket is computed once per event, the erasure lookup runs
only for events that name an end user, and both inserts are named statements, planned once per
connection. A usage event now costs PostgreSQL 17.5 to 29.5 µs, and a request 61 to 66 µs of its
CPU (from 88 to 93), with the gateway's own CPU unchanged (266 against 269 µs at the median). In
this benchmark, beside the previous build (\`BENCH_ONLY\`, five rounds), the difference stayed
within the machine's variation: 3,245 against 3,151 JSON requests a second at 16 connections, 274
against 278 µs of the gateway's CPU each, with the bare server at 9,946 and 96 µs in that run. The benchmark now measures this
beside every gateway row (PostgreSQL CPU µs/req: the scratch database's connections and the
server's background processes, from /proc, during the round and the 1.2 s after it); the tables above have it.

The chat log's rows (2026-12-05, third session). The opted-out row put the chat log's share of
PostgreSQL's CPU at about 64 µs per request of 91, a quarter of the gateway's own CPU again, spent on
the same two cores. \`perf record\` on the inserting connection (batches of 100 rows of the real
statement, in one transaction) split a row's 33 to 37 µs into the six indexes' inserts 31 %, the
two foreign keys' checks 20 % (one SPI query each per row, with its executor set up each time), the
heap insert 16 % and the statement's own executor; without the foreign keys a row took 27 µs,
without the five secondary indexes 29. The batch now goes in as one binary \`COPY\` (pg-copy-streams;
\`core/src/chat-logs/copy-binary-rows.ts\` encodes the rows): no arrays for PostgreSQL to parse and
split, no \`EXISTS\` per row (a batch with a row whose data key is gone fails whole and goes through
the old statement, which leaves such rows out), and, since the rows name their own ids, several rows
to a heap page at once. The same rows took 22 to 30 µs of the connection's CPU, against 32 to 49 for
the statement in the same alternating runs, and the gateway spends 1.1 to 1.2 µs a row encoding
them, against 1.9 for the statement's array parameters (in isolation, before node-postgres writes
them). The ids are time-ordered (UUID version 7), so the primary key grows at its right edge instead
of taking a random page per row, each logged whole at its first change after a checkpoint. Beside
the previous build in the benchmark (\`BENCH_BASELINE\`, five interleaved rounds of 8,000 requests,
memory store), PostgreSQL's CPU per request was 61 to 66 µs against 69 to 86 (the medians of each
cell), and the gateway's own within the host's variation (284 against 291 µs per JSON request at 16
connections; the bare server's 104).

The garbage collector (2026-12-04). The gateway allocates about 80 KB per JSON request (V8's
sampling heap profiler, all allocations: node-postgres' array parameters 5 KB, pino's redaction 5.4
KB, Node's stream ticks 2.4 KB, then dozens of 1 to 2 KB sites), the bare server about 18 KB. Both
keep 3.8 to 4.4 MB alive through each young collection (\`--trace-gc-nvp\`, 30 collections each),
almost all of it promoted, so the gateway's collections cost it more per request because it runs
about 3.6 times as many per request, not because it holds requests longer: a heap snapshot during
load holds only the requests in flight, and a four times larger young generation changed nothing.
What V8 did make worse was allocation-site pretenuring: \`--trace-pretenuring-statistics\` logged 23
sites switched to allocating in the old generation during a run, and with it off every run of 20,000
requests took one full collection (with it on, one or two). The gateway now turns it off in
server.ts (\`v8.setFlagsFromString\`, before the app loads; the trace shows no site switched after
it): beside the same build without it, both pinned to one core in alternating rounds of 8,000
requests at 16 connections, 154 against 166 µs per JSON request (less in 9 of 12 rounds) and 226
against 236 per stream (6 of 8). The hostile-input figures did not move: \`npm run bench --
hostile\` five times with it and five times without, alternating, gave other tenants' worst waits
(nine shapes a run) of 26.4 against 26.7 ms at the median, 46.9 against 44.5 at the 90th percentile,
and 61.6 against 76.2 at most. Tried without an effect: \`--max-semi-space-size=64\` on top (156
against 158). By feature, in the same alternating rounds: the chat logs cost 33 µs of 161 per
request (\`X-Data-Opt-Out\` 128), of which AES-GCM's two ciphers about 12 in a CPU profile (Node's
\`createCipheriv\` sets up an OpenSSL context per call); the request log line 5 (\`LOG_LEVEL=warn\`
163 against 168), its wildcard redaction paths about 1 of those (in isolation; remeasured below on a quiet core: 2.5 to 2.9).

The log's secret fields (2026-12-04, later). The log line's wildcard redaction paths (\`*.apiKey\`,
\`*.secret\`) made pino run its redactor on every field of every line, numbers and strings too,
cloning each value and parsing the paths again: the request line took 7.3 to 7.9 µs with them and
4.8 to 5.0 µs without (in isolation, pinned, six rounds each), and they were 5 % of the gateway's
allocations. The same fields are now censored by a log formatter that copies a line only when it
holds one (\`apps/gateway/src/logging/gateway-logger.ts\`; the authorization header's explicit paths
stay with pino). Beside the previous build (\`BENCH_ONLY=bare,gateway-memory,gateway-baseline\`, seven
interleaved rounds, on a slower host than the tables': the bare server 124 to 237 µs per JSON request
at 16 connections): JSON requests at 16 connections within the machine's variation (393 against 425
µs at the median, less in 4 of 7 rounds, the median of the paired differences 3 µs), streams less in
7 of 7 rounds (488 against 517 µs at the median; 22 µs, 4 %, the median of the paired differences).
The aims stay out of reach: on that host the gateway used 2.9 times the bare server's CPU per JSON
request.

The garbage collector on Node 24 (2026-12-04, evening; a faster host: the bare server 40 µs per
JSON request at 16 connections, the gateway 126). V8's GC profiler (\`v8.GCProfiler\`, preloaded
through \`BENCH_NODE_ARGS\`) and \`--trace-gc-nvp\` in the gateway under this benchmark: a young
collection every 52 MB allocated (about every 70 ms at 16 connections), each pausing the event loop
8 to 11 ms, with 3.8 to 4.0 MB surviving, of which about 90 % is promoted to the old generation at
once. What survives is a near-constant share of what was allocated, whatever the young generation's
size: with \`--max-semi-space-size\` 16, the default and 128, 1.25, 3.97 and 6.97 MB survived each
collection, and the collections took 2.7 to 2.8 s of each run in all. \`--single-threaded-gc\` gave
the same; \`--minor-ms\` (the young generation marked and swept) made it worse (169 against 138 µs
per JSON request). A heap snapshot under load holds only the requests in flight (15
\`IncomingMessage\`s), so nothing keeps a request after its answer. The sampling heap profiler,
counting only what was promoted, names the requests' own state (response headers, Fastify's
request, the meter's and the limiter's objects), not the writers' queues; halving the writers'
batches (usage events 500 to 100, chat logs 200 to 50) changed nothing (beside the unchanged build
in both orders, three rounds each: within the machine's variation). So the collections cost in
proportion to what a request allocates, and no V8 setting or batch size takes that away; only
fewer allocations per request would.

Where the CPU goes, profiled unpinned (2026-12-04, evening). The profiles above were taken with
each server pinned to one core, where V8's sampling thread shares that core with the thread it
samples: it wakes mostly when the event loop waits, so work is undercounted and waiting, system calls
and whatever runs just before a wait are overcounted. The same run with every process unpinned
(\`taskset\` hidden from the benchmark; \`BENCH_ONLY=bare,gateway-memory\`, one round, \`BENCH_PROFILE_DIR\`,
the requests each answered as the benchmark logs them), summed by \`profile-phases.mjs\`, in µs per
request, the profiler's cost included:

| phase | gateway µs/request | bare µs/request |
| --- | ---: | ---: |
| Node's HTTP server and sockets (the write system calls among it) | 56 | 30 |
| other (code of no phase) | 24 | 3 |
| garbage collection | 16 | 3 |
| sealing chat logs (PII masking, two AES-GCM ciphertexts) | 15 | – |
| Fastify (routing, hooks, reply) | 11 | – |
| undici (the upstream's socket) | 9 | 6 |
| V8 and promise machinery | 8 | 3 |
| rate limits and metering | 6 | – |
| upstream call (request, parse, validate) | 5 | – |
| request log line (pino) | 5 | – |
| request body (parse, validate) | 4 | – |
| chat route, start-up, the writers' inserts, authentication, metrics | 12 | 1 |
| all (not idle) | 170 | 45 |

Read this way, the framework and the log line cost a quarter or less of what the pinned profiles showed,
and the largest single part is the socket writes (the gateway's JSON answer goes out in one write
system call, and the loopback's receiving side runs inside it). What the gateway adds, 125 µs here, is
still spread: no part above 16 µs, sealing the chat log the largest feature at 15.

Measured with perf instead of V8's sampler (2026-12-04, night). \`perf record\` samples on a timer
interrupt whether the event loop runs or waits, kernel included, so it has neither bias of the
profiles above: it ran at 2,999 Hz on the pinned bare server and gateway during their JSON rounds at
16 connections (\`BENCH_NODE_ARGS=--perf-basic-prof-only-functions\` for the names of compiled
JavaScript; \`BENCH_ONLY=bare,gateway-memory\`, one round of 40,000 requests). In the same kind of
run, \`perf stat -e raw_syscalls:sys_enter\` in 250 ms steps counted the system calls, and V8's
sampling heap profiler (started and stopped by a signal, the objects the collector freed included)
the allocations. Both servers make the same number of system calls per request: 4.5 for the
gateway, 4.3 for the bare server (the batched log writes and inserts are the likely 0.2). Of the gateway's
CPU (280 µs per request in that run, perf's name map included; the bare server's 80), 57 % ran in
the node binary (V8's builtins, inline caches, runtime and collector), 24 % in compiled JavaScript
and 14 % in the kernel; the bare server's shares were 49, 20 and 25 %. So the kernel takes the
gateway about 39 µs per request and the bare server 20, and the rest of the difference, about 180
µs, is JavaScript and the V8 work it drives. The gateway allocates 61 KB per JSON request against
the bare server's 16.5 (its largest sites: node-postgres' array literals of the batched inserts 3.7
KB, sealing the chat log 6.8 KB in all, the body's validation 3.8), and the collector, on the event
loop and on V8's helper threads, costs it 25 µs per request against 3.3. Its core was busy 86 to 90 %
of the round's time (task-clock) where the bare server's was 97 %, so its share of the bare
server's throughput is also below what the two servers' CPU per request alone would give. What it
waits for in the rest was not found here: with the embedded PostgreSQL pinned to the load side's
core, both servers waited more, not less (the gateway 3,328 against 3,380 JSON requests a second,
three rounds of 8,000 each way, PostgreSQL's affinity checked during the run), since that core also
runs the load generator and the fake upstream.

Why the kernel takes the gateway more per request (2026-12-05, fourth session). \`perf record -g\` on
the pinned server during JSON at 16 connections (no V8 profiler; the gateway at 213 µs of CPU per
request in that round, the bare server at 63): the two socket writes of a request (the upstream's
request, the client's answer) took 8.9 % of the gateway's samples and 13.9 % of the bare server's,
about 19 and 9 µs per request. Most of a write is the loopback delivering the packet inside it, and
within that, waking the receiving process (\`sock_def_readable\`, nearly all of it in
\`_raw_spin_unlock_irqrestore\`, where the interrupt to the other core goes out): 5.1 and 5.4 % of
the samples, 11 µs per gateway request against 3.4 for the bare server. The receivers are the same
processes on the same core (the load generator, the fake upstream); between the gateway's answers,
which come at a third of the bare server's rate, they are more often asleep, so more of its writes
must wake them, and a wake-up across cores is dear in a virtual machine. So about 8 µs per request
of what the gateway spends over the bare server comes from being slower rather than from work of its
own, and would shrink with the rest. The same profile puts V8's view of the log's writes right:
its CPU profiles give pino's \`fs.write\` 9 µs per request, perf 0.6 % of the samples (about 1 µs);
the destination's \`Buffer.byteLength\` of its pending text, 0.9 %.

On this host a target's CPU per request moves by a fifth from round to round, which hides smaller
changes. Two tries the next session (2026-12-04, late): the chat-log writer now lets a turn's text go
once it is sealed rather than once its row is written (for privacy; fewer objects that outlive a
collection), and a first version of it, beside the previous build in five interleaved rounds of
8,000 requests, stayed within that variation (144 against 149 µs per JSON request at 16 connections,
stream 211 against 203). And counting instructions (valgrind's callgrind, all threads, only during
a round) instead of timing, so that a change shows whatever the host does, did not give repeatable
figures for these servers: the bare server's JSON requests at 16 connections counted 0.35, 0.81 and
0.68 million instructions each in three rounds of 1,000 after 3,000 uncounted, as a round that held
a full collection counted twice one that did not. A full collection forced before each round
(through the inspector) brought the rounds closer, not together (0.69, 0.81 and 0.83 million), and
V8 then compiled the server's code again within the counted rounds; with V8's \`--single-threaded\`
too, the code stayed in its baseline tier. Rounds long enough to spread the collections evenly
take far longer than a run allows under valgrind, so the timed rounds stay the measure, and a change
is compared over many interleaved rounds.

Where the collector's time went (2026-12-05). Between two collections of the young generation
(scavenges) the gateway and a minimal Fastify pass-through (the same undici call, ten async hooks,
no features) each allocate about 50 MB, but what survives differs. With V8's \`--trace-gc-nvp\`,
both pinned as in this benchmark, JSON requests at 16 connections in four to eight interleaved rounds
of 8,000 (a harness of this session's, not landed: the benchmark discards the servers' output; steady state, after the first 25 scavenges), the
pass-through copied about 0.1 MB a scavenge into the old generation and paused 1.5 ms; the gateway
copied 3.4 to 4.1 MB (about 7 KB a request) and paused 9 to 11 ms, on top of the helper threads'
part and the full collections that the old generation then needs. V8's sampling heap profiler,
keeping only objects that outlived a scavenge, put whole requests there (their response headers,
the IncomingMessage, Fastify's request and its logger, the meter and its reservation), while
sampled at an instant the heap held a few dozen requests: nothing held them long, yet each
scavenge kept them. Answering in process instead of calling the upstream, opting out of the chat
log, or turning off V8's allocation-site pretenuring or page promotion changed nothing; V8's
young-generation mark-sweep (\`--minor-ms\`) promoted 18 MB a collection and cost a third more CPU.
The route did: it hung a listener on the cut signal of the registry of calls in flight, which
outlives every call, never took it off, and that listener shared its closure's context with the
reply. Without that path (the call not in the registry, or no listener) the gateway promoted
0.6 MB a scavenge; with the listener taken off once the call is over (now), 1.0 MB, and its
scavenges paused 5.6 ms instead of 10.1. How the registry's Set kept ended calls reachable to the
scavenger was not established (obsolete hash tables of the Set, which keep their entries, are the
likely carrier). Beside the previous build (\`BENCH_BASELINE\`, five interleaved rounds of 8,000), the
CPU per JSON request at 16 connections stayed within the variation (197 against 198 µs; streams
304 against 311), at 64 connections it fell from 189 to 176 µs, and the 99th percentiles fell from
13.5 to 10.1 ms at 16 connections and from 50 to 21 ms at 64. The same harness also found that
the bare pass-through is not the cheapest base: the minimal Fastify pass-through used 42 to 49 µs
per JSON request where the bare server used 56 to 71 in the same runs, so what the gateway adds
is its own work, not Fastify's. And taking single parts out of a build, beside two copies of the
unchanged one (an A/A control), moved the CPU per request less than the copies differed for the
request log line (202.5 against 205 and 205 µs): in place it costs a few µs, as in isolation.

What the collector columns show (2026-12-05, second session). The benchmark now reads V8's own
trace of each server under test (\`--trace-gc-nvp\`), so every run shows the main thread's time in
the collector and the bytes promoted per request beside the CPU; a server that keeps each request
through a collection, as the gateway did before 844ff91, shows there before its CPU moves beyond a
host's variation. Since that fix the memory store's gateway promotes about as much per request as
the bare server (medians of this session's three runs: 1.0 to 1.1 KB against 1.3 to 1.5 KB) and
its collector takes 8 to 10 µs of main-thread time per JSON request at 16 connections against 4 to
9: the garbage is no longer where the gateway's CPU goes. With the Redis store it promotes 4.8 to
5.2 KB per request and its collector takes 19 to 35 µs. The cause is ioredis' automatic pipelining, reproduced without the
gateway: a script of 60,000 operations of two EVALSHA each, 16 at a time, against this machine's
Redis, promoted 2.4 KB per operation with \`enableAutoPipelining\` and 0.33 KB without, and its
scavenges paused 383 ms in all against 110. A heap snapshot in the middle of it found no finished
operation still reachable, so nothing holds them; they outlive collections all the same (the
pipelines' objects, their commands and replies are what V8's sampling heap profiler finds among
the survivors). Dropping the connection's 500 ms command timeout (a timer per command) took a third
of it off (3.6 KB per request in the gateway, 13 µs less CPU per request); turning automatic
pipelining off took all of it (1.1 KB) but cost 46 µs more CPU per request, in a system call per
command each way. So the connection now does without ioredis' pipelines: the first command of a
turn corks the socket and the turn's end (setImmediate) uncorks it, so the turn's commands still
leave in one write (\`core/limits/redis-connection.ts\`). In the same script that took 19 µs of
CPU per operation against 29 with automatic pipelining, with 0.32 KB promoted; in the gateway,
beside the previous build in two runs of six and seven interleaved rounds (in one order, then the
other, since the first target of a round fared better by about 14 µs), 1.06 KB promoted per JSON
request against 5.0 KB, about 9 µs less CPU per request once the order is taken out, and the
collector's main-thread time per request from 16 µs to 10 and 14 in the two runs. In the full run above, with Redis: 12 µs in
the collector and 1.1 KB promoted (35 µs and 4.8 KB before), +0.34 ms at p50 for JSON at one
connection (+0.44 before; likely because ioredis sent its pipelines one at a time, a turn's commands
waiting for the pipeline in flight, where a corked socket is written at once), 2.7 times the bare server's CPU (2.8). Also measured on this host, with two copies of one build in
interleaved rounds: without the request log line the gateway used 13 to 17 µs less CPU per JSON
request, more than the few µs of the earlier A/A comparison; a log destination that gathers lines
for \`process.stdout\` instead of sonic-boom was as cheap as none in one run and no cheaper than
sonic-boom in the next, so nothing was changed: on this host two rounds of one build differ by more.`;
