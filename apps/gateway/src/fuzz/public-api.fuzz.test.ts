import type { Database } from "@dsc/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/database.ts";
import { startTestGateway } from "../testing/start-test-gateway.ts";
import {
  type CaseOutcome,
  failureClasses,
  type HealthPoller,
  type HealthReport,
  loggedErrors,
  lostChatLogs,
  pollHealth,
  prepareFuzzTarget,
  runCases,
  sampleCases,
} from "./fuzz-run.ts";
import { ENDPOINTS, type FuzzTarget, pinnedCases } from "./hostile-requests.ts";

/*
 * Hostile input over every public endpoint (the item 10): a fixed, seeded set of
 * mutated requests, each answered with a 2xx or a 4xx in the error shape, with x-request-id,
 * never a 5xx or a stack trace, while /healthz keeps answering. `npm run bench -- fuzz` runs
 * many more with a random seed.
 */
const SEED = 20_260_115;
/** cases per endpoint (about 300 in all); the ones with request bodies get more */
const RUNS: Record<string, number> = {
  "POST /v1/chat/completions": 40,
  "POST /v1/chat/completions (stream)": 25,
  "POST /v1/files": 40,
  "POST /oauth2/token (form)": 25,
  "POST /oauth2/token (JSON)": 20,
};
const DEFAULT_RUNS = 10;

let db: Database;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let target: FuzzTarget;
let origin: URL;
let health: HealthPoller;
let healthReport: HealthReport | null = null;
const outcomes: CaseOutcome[] = [];

beforeAll(async () => {
  db = (await createTestDatabase()).db;
  gateway = await startTestGateway({ db });
  origin = new URL(gateway.url);
  target = await prepareFuzzTarget(db, gateway.url);
  health = pollHealth(origin);
});
afterAll(async () => {
  await health?.stop();
  await gateway?.close();
});

describe("fuzz: hostile requests to every public endpoint", () => {
  it("has an endpoint for every route the gateway serves", () => {
    const fuzzed = new Set(ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.route}`));
    const served = gateway.app.routeScopes.map((route) => `${route.method} ${route.url}`);
    expect(served.filter((route) => !fuzzed.has(route))).toEqual([]);
  });

  it("answers the classes an earlier fuzz run found: a 4xx in the error shape or a 2xx", async () => {
    const results = await runCases(origin, pinnedCases(target), { health });
    outcomes.push(...results);
    expect(failureClasses(results)).toEqual([]);
  }, 60_000);

  for (const endpoint of ENDPOINTS) {
    it(`${endpoint.name}: every answer is a 2xx or a 4xx in the error shape, never a 5xx or a stack trace`, async () => {
      const cases = sampleCases(endpoint, target, RUNS[endpoint.name] ?? DEFAULT_RUNS, SEED);
      const results = await runCases(origin, cases, { health });
      outcomes.push(...results);
      expect(failureClasses(results)).toEqual([]);
    }, 180_000);
  }

  it("answered /healthz throughout", async () => {
    healthReport = await health.stop();
    process.stderr.write(
      `[fuzz] ${outcomes.length} cases; /healthz polled ${healthReport.polls} times, worst wait ${Math.round(healthReport.worstWaitMs)} ms (during ${healthReport.worstWaitDuring})\n`,
    );
    expect(healthReport.polls).toBeGreaterThan(0);
    expect(healthReport.failures).toEqual([]);
  });

  it("kept the chat log of every chat completion it answered with a 2xx", async () => {
    await gateway.chatLogs.flush();
    const { answered, lost } = await lostChatLogs(db, outcomes);
    expect(answered).toBeGreaterThan(0);
    expect(lost).toEqual([]);
  });

  it("logged no error while answering them", () => {
    expect(loggedErrors(gateway.logLines)).toEqual([]);
  });
});
