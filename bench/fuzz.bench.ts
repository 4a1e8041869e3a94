/**
 * Fuzz run over every public endpoint: many more hostile requests than `npm test` sends (the
 * same generators, apps/gateway/src/fuzz/), with a random seed printed for reproduction.
 *
 *   npm run bench -- fuzz
 *   node --import tsx bench/fuzz.bench.ts
 *
 * Environment: BENCH_FUZZ_CASES (default 5000, spread over the endpoints as in the test),
 * BENCH_FUZZ_SEED (default random), BENCH_FUZZ_VERBOSE=1 (one line per case), DATABASE_URL (a
 * PostgreSQL on which a scratch database is created and dropped; without it an embedded one runs
 * under a temporary directory). Only 127.0.0.1 is contacted. Prints the outcome counts and the
 * failure classes, writes them to its section of docs/benchmarks.md, and exits 1 when any
 * answer broke the rules.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDatabaseClient } from "@dsc/db";
import {
  type CaseOutcome,
  failureClasses,
  type HealthReport,
  loggedErrors,
  lostChatLogs,
  pollHealth,
  prepareFuzzTarget,
  runCases,
  sampleCases,
  statusCounts,
} from "../apps/gateway/src/fuzz/fuzz-run.ts";
import { ENDPOINTS, pinnedCases } from "../apps/gateway/src/fuzz/hostile-requests.ts";
import { startTestGateway } from "../apps/gateway/src/testing/start-test-gateway.ts";
import { writeReportSection } from "./support/report.ts";
import { scratchDatabase } from "./support/scratch-database.ts";

const TOTAL = Number(process.env.BENCH_FUZZ_CASES ?? 5_000);
const SEED = process.env.BENCH_FUZZ_SEED
  ? Number(process.env.BENCH_FUZZ_SEED)
  : Math.floor(Math.random() * 2 ** 31);
const VERBOSE = process.env.BENCH_FUZZ_VERBOSE === "1";
/** endpoints with request bodies get more cases, as in the test */
const WEIGHTS: Record<string, number> = {
  "POST /v1/chat/completions": 4,
  "POST /v1/chat/completions (stream)": 2.5,
  "POST /v1/files": 4,
  "POST /oauth2/token (form)": 2.5,
  "POST /oauth2/token (JSON)": 2,
};
const log = (message: string) => process.stderr.write(`[fuzz.bench] ${message}\n`);

async function main() {
  log(`seed ${SEED} (BENCH_FUZZ_SEED=${SEED} repeats this run), ${TOTAL} cases`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "dsc-fuzz-bench-"));
  const database = await scratchDatabase(dataDir, log);
  const db = createDatabaseClient(database.url, { maxConnections: 4 });
  const gateway = await startTestGateway({ db });
  const origin = new URL(gateway.url);
  const outcomes: CaseOutcome[] = [];
  const perEndpoint: { name: string; outcomes: CaseOutcome[] }[] = [];
  let health: HealthReport;
  let lost: string[] = [];
  const started = performance.now();
  try {
    const target = await prepareFuzzTarget(db, gateway.url);
    const weightSum = ENDPOINTS.reduce((sum, endpoint) => sum + (WEIGHTS[endpoint.name] ?? 1), 0);
    const poller = pollHealth(origin);
    const pinned = await runCases(origin, pinnedCases(target), { health: poller });
    outcomes.push(...pinned);
    perEndpoint.push({ name: "classes found before (pinned)", outcomes: pinned });
    for (const endpoint of ENDPOINTS) {
      const runs = Math.max(1, Math.round((TOTAL * (WEIGHTS[endpoint.name] ?? 1)) / weightSum));
      const results = await runCases(origin, sampleCases(endpoint, target, runs, SEED), {
        health: poller,
        onStart: (fuzzCase) => {
          if (VERBOSE) log(`→ ${fuzzCase.request.label}`);
        },
        onOutcome: (outcome) => {
          if (!VERBOSE) return;
          const { answer, fuzzCase } = outcome;
          log(
            `${answer.status ?? "---"} ${Math.round(answer.elapsedMs)}ms ${fuzzCase.request.label}` +
              `${outcome.broken.length > 0 ? ` BROKEN: ${outcome.broken.join("; ")}` : ""}` +
              ` ${JSON.stringify(answer.body.toString("utf8").slice(0, 120))}`,
          );
        },
      });
      outcomes.push(...results);
      perEndpoint.push({ name: endpoint.name, outcomes: results });
      const counts = statusCounts(results);
      log(`${endpoint.name}: ${results.length} cases ${JSON.stringify(counts)}`);
    }
    health = await poller.stop();
    await gateway.chatLogs.flush();
    const chatLogs = await lostChatLogs(db, outcomes);
    lost = chatLogs.lost;
  } finally {
    await gateway.close();
    await db.$disconnect();
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  const classes = failureClasses(outcomes);
  const errors = [
    ...loggedErrors(gateway.logLines),
    ...lost.map((label) => `chat log not kept of a 2xx answer: ${label}`),
  ];
  const failing = outcomes.filter((outcome) => outcome.broken.length > 0).length;
  log(`${outcomes.length} cases in ${seconds.toFixed(0)} s, ${failing} broke a rule`);
  log(
    `/healthz: ${health.polls} polls, ${health.failures.length} failed, worst wait ` +
      `${Math.round(health.worstWaitMs)} ms (during ${health.worstWaitDuring})`,
  );
  for (const line of classes) log(`FAIL ${line}`);
  for (const line of errors) log(`LOGGED ${line}`);

  await writeSection({ perEndpoint, classes, errors, health, seconds, origin: database.origin });
  process.exit(classes.length > 0 || errors.length > 0 || health.failures.length > 0 ? 1 : 0);
}

async function writeSection(run: {
  perEndpoint: { name: string; outcomes: CaseOutcome[] }[];
  classes: string[];
  errors: string[];
  health: HealthReport;
  seconds: number;
  origin: string;
}) {
  const cpus = os.cpus();
  const columns = ["2xx", "4xx", "5xx", "no answer"];
  const rows = run.perEndpoint.map(({ name, outcomes }) => {
    const counts = statusCounts(outcomes);
    const broken = outcomes.filter((outcome) => outcome.broken.length > 0).length;
    return `| \`${name}\` | ${outcomes.length} | ${columns.map((c) => counts[c] ?? 0).join(" | ")} | ${broken} |`;
  });
  const all = run.perEndpoint.flatMap((endpoint) => endpoint.outcomes);
  const totals = statusCounts(all);
  const brokenTotal = all.filter((outcome) => outcome.broken.length > 0).length;
  await writeReportSection("fuzz", "Fuzzing the public API (`bench/fuzz.bench.ts`)", [
    "Method: `npm run bench -- fuzz` (rerun it to refresh this section; `BENCH_FUZZ_SEED` repeats a",
    "run, `BENCH_FUZZ_CASES` sets its size). The generators of the fuzz test",
    "(`apps/gateway/src/fuzz/`) send valid requests to every public endpoint with one mutation each:",
    "fields of the wrong type, missing or extra (`__proto__`, `constructor`), huge strings and arrays",
    "(up to the body limit), deep nesting (up to a million levels), odd Unicode (lone surrogates, NUL,",
    "RTL, combining marks, special tokens), invalid UTF-8, duplicate keys, broken multipart forms, odd",
    "headers, framing, methods and URLs; well-formed requests through fetch, the rest as raw bytes on",
    "a socket. The gateway is the test helper's, in this process, on a scratch database. A case breaks",
    "the rules when its answer is not a 2xx or a 4xx in the error shape with `x-request-id`, or holds",
    "a stack trace, or a 2xx stream lacks `[DONE]`, or a request without a valid credential gets a",
    "2xx. `/healthz` is polled every 25 ms throughout.",
    "",
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus[0]?.model ?? "cpu"} × ${cpus.length} cores, ` +
      `Node ${process.version}; ${run.origin}; ${all.length} cases in ${run.seconds.toFixed(0)} s; ` +
      `/healthz polled ${run.health.polls} times, ${run.health.failures.length} failed, worst wait ` +
      `${Math.round(run.health.worstWaitMs)} ms (while answering ${markdownSafe(run.health.worstWaitDuring ?? "nothing")}).`,
    "",
    "| endpoint | cases | 2xx | 4xx | 5xx | no answer | broke a rule |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
    `| all | ${all.length} | ${columns.map((c) => totals[c] ?? 0).join(" | ")} | ${brokenTotal} |`,
    "",
    run.classes.length === 0 && run.errors.length === 0
      ? "No failure class, and no error in the gateway's log."
      : [
          "Failure classes (endpoint | mutation | rule, count, one example), errors the gateway logged",
          "and chat logs it did not keep:",
          "",
          ...run.classes.map((line) => `- ${markdownSafe(line)}`),
          ...run.errors.map((line) => `- logged: ${markdownSafe(line)}`),
        ].join("\n"),
  ]);
}

function markdownSafe(text: string): string {
  return text.replace(/[|`<>*_[\]]/g, (c) => `\\${c}`).replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, " ");
}

await main();
