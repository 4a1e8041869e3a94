import { randomBytes } from "node:crypto";
import {
  cliActor,
  createApiKey,
  createOAuthClient,
  createOrganization,
  SCOPES,
  systemClock,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import fc from "fast-check";
import { createCustomTier } from "../testing/custom-tier.ts";
import { TEST_PEPPER } from "../testing/start-test-gateway.ts";
import { brokenRules } from "./answer-rules.ts";
import { casesFor, type Endpoint, type FuzzCase, type FuzzTarget } from "./hostile-requests.ts";
import { type Answer, exchange } from "./wire-exchange.ts";

/**
 * A caller for a fuzz run against a gateway of the test helper's (same pepper): an organization
 * on a tier whose limits the run cannot reach, a key with every scope, an OAuth client, a file
 * and a deletion request of its own.
 */
export async function prepareFuzzTarget(db: Database, gatewayUrl: string): Promise<FuzzTarget> {
  const deps = { db, clock: systemClock, pepper: TEST_PEPPER };
  const tier = await createCustomTier(db, { requestsPerMinute: 10_000_000 });
  const org = await createOrganization(deps, {
    name: `Fuzz ${randomBytes(3).toString("hex")}`,
    tier,
    actor: cliActor("fuzz"),
  });
  const scopes = SCOPES.filter((scope) => scope !== "admin");
  const { secret: apiKey } = await createApiKey(deps, {
    organizationId: org.id,
    scopes: [...scopes],
    allowPowerfulScopes: true,
    actor: cliActor("fuzz"),
  });
  const { client, secret } = await createOAuthClient(deps, {
    organizationId: org.id,
    scopes: [...scopes],
    allowPowerfulScopes: true,
    actor: cliActor("fuzz"),
  });
  const endUser = `fuzz-user-${randomBytes(3).toString("hex")}`;
  const auth = { authorization: `Bearer ${apiKey}` };

  const form = new FormData();
  form.set("purpose", "assistants");
  form.set("user", endUser);
  form.set("file", new Blob(['{"fuzz":true}\n']), "notes.jsonl");
  const upload = await fetch(`${gatewayUrl}/v1/files`, { method: "POST", headers: auth, body: form });
  const file = (await upload.json()) as { id?: string };
  const deletion = await fetch(`${gatewayUrl}/v1/users/${endUser}-erased`, {
    method: "DELETE",
    headers: auth,
  });
  const request = (await deletion.json()) as { id?: string };
  const turn = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({
      model: "deepseek-chst-1.0",
      messages: [{ role: "user", content: "Hi" }],
      user: endUser,
    }),
  });
  await turn.arrayBuffer();
  if (!file.id || !request.id || turn.status !== 200) {
    throw new Error(
      `fuzz target setup failed: upload ${upload.status}, deletion ${deletion.status}, chat ${turn.status}`,
    );
  }
  return {
    apiKey,
    oauthClient: { id: client.id, secret },
    modelId: "deepseek-chst-1.0",
    fileId: file.id,
    deletionRequestId: request.id,
    endUser,
    chatUser: `${endUser}-chat`,
  };
}

export interface CaseOutcome {
  fuzzCase: FuzzCase;
  answer: Answer;
  broken: string[];
}

/** The cases of one endpoint for a seed: the same seed gives the same requests. */
export function sampleCases(
  endpoint: Endpoint,
  target: FuzzTarget,
  numRuns: number,
  seed: number,
): FuzzCase[] {
  // each endpoint its own stream of cases from the one seed, not the same mutations everywhere
  return fc.sample(casesFor(endpoint, target), { numRuns, seed: (seed + seedOffset(endpoint.name)) | 0 });
}

function seedOffset(name: string): number {
  let hash = 0;
  for (const char of name) hash = (Math.imul(hash, 31) + (char.codePointAt(0) ?? 0)) | 0;
  return hash;
}

/** Sends each case in turn and checks its answer. */
export async function runCases(
  origin: URL,
  cases: FuzzCase[],
  options: {
    onStart?: (fuzzCase: FuzzCase) => void;
    onOutcome?: (outcome: CaseOutcome) => void;
    health?: HealthPoller;
  } = {},
): Promise<CaseOutcome[]> {
  const outcomes: CaseOutcome[] = [];
  for (const fuzzCase of cases) {
    if (options.health) options.health.current = fuzzCase.request.label;
    options.onStart?.(fuzzCase);
    const answer = await exchange(origin, fuzzCase.request);
    const broken = brokenRules(fuzzCase.request, answer);
    if (fuzzCase.mustBeRefused && answer.status !== null && answer.status < 300) {
      broken.push(`${answer.status} without a valid credential`);
    }
    const outcome = { fuzzCase, answer, broken };
    outcomes.push(outcome);
    options.onOutcome?.(outcome);
  }
  return outcomes;
}

/** One line per class of failure (endpoint, mutation family, broken rule), with an example. */
export function failureClasses(outcomes: CaseOutcome[]): string[] {
  const classes = new Map<string, { count: number; example: CaseOutcome }>();
  for (const outcome of outcomes) {
    for (const rule of outcome.broken) {
      const key = `${outcome.fuzzCase.endpoint} | ${outcome.fuzzCase.family} | ${rule}`;
      const known = classes.get(key);
      if (known) known.count += 1;
      else classes.set(key, { count: 1, example: outcome });
    }
  }
  return [...classes.entries()].map(([key, { count, example }]) => {
    const body = example.answer.body.toString("utf8").slice(0, 160);
    return `${key} ×${count}; e.g. ${example.fuzzCase.detail} → ${example.answer.status ?? "no answer"} ${JSON.stringify(body)}`;
  });
}

/** How many answers of each status class (2xx, 4xx, 5xx, none). */
export function statusCounts(outcomes: CaseOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { answer } of outcomes) {
    const key = answer.status === null ? "no answer" : `${String(answer.status)[0]}xx`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export interface HealthReport {
  polls: number;
  /** polls that did not get a 200 {"status":"ok"} */
  failures: string[];
  worstWaitMs: number;
  /** the case being answered when the worst wait began */
  worstWaitDuring: string | null;
}

export interface HealthPoller {
  /** the case under way, named in the report of the worst wait */
  current: string | null;
  stop(): Promise<HealthReport>;
}

/**
 * Polls /healthz over its own connection while the fuzz runs, to show that no hostile request
 * keeps the gateway from answering. Timing is recorded, not asserted.
 */
export function pollHealth(origin: URL, intervalMs = 25): HealthPoller {
  const report: HealthReport = { polls: 0, failures: [], worstWaitMs: 0, worstWaitDuring: null };
  let isRunning = true;
  const poller: HealthPoller = {
    current: null,
    async stop() {
      isRunning = false;
      await loop;
      return report;
    },
  };
  const loop = (async () => {
    while (isRunning) {
      const started = performance.now();
      const during = poller.current;
      try {
        const response = await fetch(new URL("/healthz", origin), { signal: AbortSignal.timeout(30_000) });
        const body = await response.text();
        if (response.status !== 200 || !body.includes('"ok"'))
          report.failures.push(`${response.status} ${body}`);
      } catch (error) {
        report.failures.push(String((error as Error).message));
      }
      report.polls += 1;
      const waitMs = performance.now() - started;
      if (waitMs > report.worstWaitMs) {
        report.worstWaitMs = waitMs;
        report.worstWaitDuring = during;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return poller;
}

/**
 * The chat completions answered with a 2xx whose turn the chat-log writer did not keep (call
 * after flushing it): the turn is written off the response path, so only this shows the loss.
 */
export async function lostChatLogs(
  db: Database,
  outcomes: CaseOutcome[],
): Promise<{ answered: number; lost: string[] }> {
  const answered = outcomes.filter(
    ({ fuzzCase, answer }) =>
      fuzzCase.endpoint.startsWith("POST /v1/chat/completions") &&
      fuzzCase.request.method === "POST" &&
      fuzzCase.request.target === "/v1/chat/completions" &&
      answer.status !== null &&
      answer.status < 300,
  );
  const requestIds = answered.map(({ answer }) => answer.headers["x-request-id"] ?? "");
  const rows = await db.chatLog.findMany({
    where: { requestId: { in: requestIds } },
    select: { requestId: true },
  });
  const logged = new Set(rows.map((row) => row.requestId));
  const lost = answered
    .filter(({ answer }) => !logged.has(answer.headers["x-request-id"] ?? ""))
    .map(({ fuzzCase }) => fuzzCase.request.label);
  return { answered: answered.length, lost };
}

/** Error lines the gateway logged (level 50 and up): failures the answers may not show. */
export function loggedErrors(logLines: string[]): string[] {
  const errors = new Map<string, number>();
  for (const line of logLines) {
    let entry: { level?: number; msg?: string; err?: { type?: string; message?: string } };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < 50) continue;
    const key = `${entry.msg ?? "(no message)"}: ${entry.err?.type ?? ""} ${String(entry.err?.message ?? "").slice(0, 120)}`;
    errors.set(key, (errors.get(key) ?? 0) + 1);
  }
  return [...errors.entries()].map(([key, count]) => `${key} ×${count}`);
}
