import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { cliActor, createOrganization, newId, requestDeletion, systemClock } from "@dsc/core";
import { DEFAULT_MODEL_ID } from "@dsc/db";
import OpenAI from "openai";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { createCustomTier } from "../apps/gateway/src/testing/custom-tier.ts";
import {
  createOrgWithKey,
  startTestGateway,
  TEST_METRICS_TOKEN,
} from "../apps/gateway/src/testing/start-test-gateway.ts";
import { JOBS } from "../apps/worker/src/jobs/index.ts";
import type { JobDefinition } from "../apps/worker/src/jobs/job-definition.ts";
import { type MetricsServer, startMetricsServer } from "../apps/worker/src/metrics/metrics-server.ts";
import { createWorkerMetrics } from "../apps/worker/src/metrics/worker-metrics.ts";
import { startWorker, type WorkerHandle } from "../apps/worker/src/start-worker.ts";
import { createTestDatabase, type TestDatabase } from "./support/database.ts";
import { answerJson, startFakeUpstream } from "./support/fake-upstream.ts";
import { type Exposition, type ExpositionSample, parseExposition } from "./support/prometheus-exposition.ts";

const HOUR = 3_600_000;
const CHAT = { route: "/v1/chat/completions", method: "POST", status: "200" };

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let worker: WorkerHandle;
let workerMetrics: MetricsServer;

const succeeds: JobDefinition = {
  id: "test.metrics-succeeds",
  description: "does nothing, successfully",
  payload: z.object({}),
  run: async () => ({}),
};
const fails: JobDefinition = {
  id: "test.metrics-fails",
  description: "fails on purpose",
  payload: z.object({}),
  run: async () => {
    throw new Error("failing on purpose");
  },
};

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
  const logger = pino({ level: "silent" });
  const metrics = createWorkerMetrics({ db: t.db, clock: systemClock, logger });
  worker = await startWorker({
    databaseUrl: t.url,
    responseCacheTtlMs: 0,
    jobs: [succeeds, fails],
    metrics,
    db: t.db,
    clock: systemClock,
    logger,
  });
  workerMetrics = await startMetricsServer({
    metrics,
    token: TEST_METRICS_TOKEN,
    host: "127.0.0.1",
    port: 0,
    logger,
  });
});

afterAll(async () => {
  await workerMetrics?.close();
  await worker?.stop();
  await gateway?.close();
});

async function scrape(url: string, token: string | null = TEST_METRICS_TOKEN): Promise<Response> {
  return fetch(`${url}/metrics`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

async function exposition(url: string): Promise<Exposition> {
  const response = await scrape(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parseExposition(await response.text());
}

/** Scrapes until `ready` holds (the last response's hooks may still be running), at most 50 times. */
async function exposedWhen(url: string, ready: (metrics: Exposition) => boolean): Promise<Exposition> {
  let metrics = await exposition(url);
  for (let i = 0; i < 50 && !ready(metrics); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    metrics = await exposition(url);
  }
  return metrics;
}

describe("the gateway's /metrics, scraped over HTTP and parsed strictly", () => {
  it("counts chat requests by route, upstream calls, tokens by model and tier, cache and limits", async () => {
    const { org, secret } = await createOrgWithKey(t.db, { tier: "free" });
    const openai = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const before = await exposition(gateway.url);
    const metered = gateway.metering.metered;

    // the same deterministic request twice: a miss stored, then a hit (the meter ends after the store)
    const deterministic = {
      model: DEFAULT_MODEL_ID,
      messages: [{ role: "user" as const, content: `cache me ${org.id}` }],
      temperature: 0,
    };
    await openai.chat.completions.create(deterministic);
    await gateway.metering.whenMetered(metered + 1);
    await openai.chat.completions.create(deterministic);
    await openai.chat.completions.create({
      model: DEFAULT_MODEL_ID,
      messages: [{ role: "user", content: "Hello, how are you?" }],
    });
    const stream = await openai.chat.completions.create({
      model: DEFAULT_MODEL_ID,
      messages: [{ role: "user", content: "Stream to me" }],
      stream: true,
    });
    for await (const _chunk of stream) {
      /* read to the end */
    }
    await gateway.metering.whenMetered(metered + 4);
    await gateway.metering.usage.flush();

    const rose = (after: Exposition, name: string, labels: Record<string, string>) =>
      after.sum(name, labels) - before.sum(name, labels);
    const after = await exposedWhen(
      gateway.url,
      (m) =>
        m.sum("dsc_http_request_duration_seconds_count", CHAT) -
          before.sum("dsc_http_request_duration_seconds_count", CHAT) >=
        4,
    );

    expect(rose(after, "dsc_http_request_duration_seconds_count", CHAT)).toBe(4);
    expect(after.families.get("dsc_http_request_duration_seconds")?.type).toBe("histogram");
    // route patterns only: no series names a raw URL
    for (const sample of after.families.get("dsc_http_request_duration_seconds")?.samples ?? []) {
      expect(sample.labels.route).not.toContain(org.id);
    }

    // the cached answer did not reach the upstream: three calls, one a stream with its first byte timed
    // (by deployment too: "default" for a model of one upstream, else the deployment's id)
    const upstream = { model: DEFAULT_MODEL_ID, outcome: "success" };
    expect(rose(after, "dsc_upstream_duration_seconds_count", upstream)).toBe(3);
    expect(rose(after, "dsc_upstream_ttfb_seconds_count", { model: DEFAULT_MODEL_ID })).toBe(1);
    expect(rose(after, "dsc_response_cache_hits_total", {})).toBe(1);
    // only a deterministic request is looked up: the others are no misses
    expect(rose(after, "dsc_response_cache_misses_total", {})).toBe(1);
    expect(rose(after, "dsc_rate_limit_decisions_total", { decision: "allowed", limit: "none" })).toBe(4);

    // the tokens are those metered in the usage events, by model and tier, and nothing names the org
    const usage = await t.db.usageEvent.aggregate({
      where: { organizationId: org.id },
      _sum: { promptTokens: true, completionTokens: true },
    });
    const tokens = (type: string) =>
      rose(after, "dsc_tokens_total", { model: DEFAULT_MODEL_ID, tier: "tier_free", type });
    expect(tokens("prompt")).toBe(usage._sum.promptTokens);
    expect(tokens("completion")).toBe(usage._sum.completionTokens);
    expect(tokens("prompt")).toBeGreaterThan(0);
    for (const family of after.families.values()) {
      for (const sample of family.samples) {
        expect(Object.values(sample.labels).join(" ")).not.toContain(org.id);
      }
    }
    // process and runtime defaults, and what the overview reads, are there
    expect(after.value("process_cpu_user_seconds_total")).toBeGreaterThan(0);
    expect(after.value("nodejs_eventloop_lag_p99_seconds")).toBeDefined();
    expect(after.value("dsc_rate_limiter_fallback_active")).toBe(0);
    expect(after.families.get("dsc_usage_flush_duration_seconds")?.type).toBe("histogram");
    expect(after.sum("dsc_usage_flush_duration_seconds_count")).toBeGreaterThan(0);
    // the turns were logged: the chat-log writer's batches are timed too (it flushes every 50 ms here)
    const logged = await exposedWhen(
      gateway.url,
      (m) => m.sum("dsc_chat_log_flush_duration_seconds_count") > 0,
    );
    expect(logged.sum("dsc_chat_log_flush_duration_seconds_count")).toBeGreaterThan(0);
    expect(logged.value("dsc_chat_logs_queued")).toBeGreaterThanOrEqual(0);
  });

  it("counts a request the rate limit refused under the limit that bound", async () => {
    const tier = await createCustomTier(t.db, { requestsPerMinute: 1 });
    const { secret } = await createOrgWithKey(t.db, { tier });
    const openai = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const before = await exposition(gateway.url);
    await openai.models.list();
    await expect(openai.models.list()).rejects.toMatchObject({ status: 429 });
    const limited = { decision: "limited", limit: "requests" };
    const after = await exposedWhen(
      gateway.url,
      (m) => m.sum("dsc_http_request_duration_seconds_count", { route: "/v1/models", status: "429" }) > 0,
    );
    expect(
      after.sum("dsc_rate_limit_decisions_total", limited) -
        before.sum("dsc_rate_limit_decisions_total", limited),
    ).toBe(1);
    expect(
      after.sum("dsc_http_request_duration_seconds_count", {
        route: "/v1/models",
        method: "GET",
        status: "429",
      }) -
        before.sum("dsc_http_request_duration_seconds_count", {
          route: "/v1/models",
          method: "GET",
          status: "429",
        }),
    ).toBe(1);
  });

  it("counts an upstream's 4xx as refused, not as an error the upstream alert reads", async () => {
    const upstream = await startFakeUpstream(answerJson(400, { error: { message: "unknown parameter" } }));
    try {
      const tier = await createCustomTier(t.db, { requestsPerMinute: 1_000 });
      const model = `refusing-${randomBytes(4).toString("hex")}`;
      const deploymentId = newId("deployment");
      await t.db.model.create({
        data: {
          id: model,
          provider: "OPENAI_COMPATIBLE",
          tiers: { connect: { slug: tier } },
          deployments: {
            create: [{ id: deploymentId, upstreamBaseUrl: upstream.baseUrl, upstreamModel: "refuser" }],
          },
        },
      });
      const { secret } = await createOrgWithKey(t.db, { tier });
      const openai = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      await expect(
        openai.chat.completions.create({ model, messages: [{ role: "user", content: "refuse me" }] }),
      ).rejects.toMatchObject({ status: 502 });
      const after = await exposedWhen(
        gateway.url,
        (m) => m.sum("dsc_upstream_duration_seconds_count", { model, outcome: "refused" }) > 0,
      );
      const attempts = { model, deployment: deploymentId };
      expect(after.sum("dsc_upstream_duration_seconds_count", { ...attempts, outcome: "refused" })).toBe(1);
      for (const outcome of ["error", "timeout", "success"])
        expect(after.sum("dsc_upstream_duration_seconds_count", { ...attempts, outcome })).toBe(0);
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await upstream.close();
    }
  });

  it("times routes registered before the metrics too, and unmatched requests under one label", async () => {
    const before = await exposition(gateway.url);
    const healthz = { route: "/healthz", method: "GET", status: "200" };
    const unmatched = { route: "unmatched", method: "GET", status: "404" };
    await (await fetch(`${gateway.url}/healthz`)).text();
    await (await fetch(`${gateway.url}/no/such/path/${"x".repeat(40)}`)).text();
    const after = await exposedWhen(
      gateway.url,
      (m) =>
        m.sum("dsc_http_request_duration_seconds_count", unmatched) >
        before.sum("dsc_http_request_duration_seconds_count", unmatched),
    );
    const rose = (labels: Record<string, string>) =>
      after.sum("dsc_http_request_duration_seconds_count", labels) -
      before.sum("dsc_http_request_duration_seconds_count", labels);
    expect(rose(healthz)).toBe(1);
    expect(rose(unmatched)).toBe(1);
    expect(
      JSON.stringify([...after.families.keys()]) + (await (await scrape(gateway.url)).text()),
    ).not.toContain("x".repeat(40));
  });

  it("refuses a scrape without the token or with a wrong one", async () => {
    expect((await scrape(gateway.url, null)).status).toBe(401);
    expect((await scrape(gateway.url, "wrong-token-0123456789-0123456789")).status).toBe(401);
  });
});

describe("the worker's /metrics, scraped over HTTP and parsed strictly", () => {
  it("counts job runs, failures and durations per job, and the deletion register by status and deadline", async () => {
    const org = await createOrganization(
      { db: t.db, clock: systemClock },
      { name: "Scraped", tier: "free", actor: cliActor("test") },
    );
    const longAgo = { now: () => new Date(Date.now() - 80 * HOUR) };
    await requestDeletion(
      { db: t.db, clock: longAgo },
      { organizationId: org.id, subjectType: "END_USER", subjectId: "overdue-user", actor: cliActor("test") },
    );
    const before = await exposition(workerMetrics.url);
    // declared at start: the series exist before any run
    expect(before.value("dsc_job_runs_total", { job: succeeds.id, outcome: "success" })).toBe(0);
    expect(before.value("dsc_job_runs_total", { job: fails.id, outcome: "failure" })).toBe(0);

    await worker.boss.send(succeeds.id, {});
    await worker.boss.send(fails.id, {}, { retryLimit: 0 });
    const after = await exposedWhen(
      workerMetrics.url,
      (m) =>
        (m.value("dsc_job_runs_total", { job: succeeds.id, outcome: "success" }) ?? 0) >= 1 &&
        (m.value("dsc_job_runs_total", { job: fails.id, outcome: "failure" }) ?? 0) >= 1,
    );
    expect(after.value("dsc_job_runs_total", { job: succeeds.id, outcome: "success" })).toBe(1);
    expect(after.value("dsc_job_runs_total", { job: succeeds.id, outcome: "failure" })).toBe(0);
    expect(after.value("dsc_job_runs_total", { job: fails.id, outcome: "failure" })).toBe(1);
    expect(after.value("dsc_job_duration_seconds_count", { job: succeeds.id, outcome: "success" })).toBe(1);
    expect(after.value("dsc_job_last_success_timestamp_seconds", { job: succeeds.id })).toBeGreaterThan(0);
    expect(after.value("dsc_job_last_success_timestamp_seconds", { job: fails.id })).toBe(0);

    // this database's register: the one request, pending and overdue; nothing names it
    expect(after.value("dsc_deletion_requests_by_status", { status: "pending" })).toBe(1);
    expect(after.value("dsc_deletion_requests_by_status", { status: "completed" })).toBe(0);
    expect(after.value("dsc_deletion_requests_by_deadline", { state: "overdue" })).toBe(1);
    expect(after.value("dsc_deletion_requests_by_deadline", { state: "near_deadline" })).toBe(0);
    expect(after.value("process_resident_memory_bytes")).toBeGreaterThan(0);
    const text = await (await scrape(workerMetrics.url)).text();
    for (const secret of [org.id, "overdue-user", "delreq_"]) expect(text).not.toContain(secret);
  });

  it("refuses a scrape without the token or with a wrong one, and serves nothing else", async () => {
    const refused = await scrape(workerMetrics.url, null);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(await refused.text()).not.toContain("dsc_");
    expect((await scrape(workerMetrics.url, `${TEST_METRICS_TOKEN}x`)).status).toBe(401);
    const elsewhere = await fetch(`${workerMetrics.url}/`, {
      headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` },
    });
    expect(elsewhere.status).toBe(404);
  });
});

/** The series names an expression reads: its identifiers that are neither functions, keywords nor labels. */
function seriesNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right) *\([^)]*\)/g, "");
  const keywords = new Set(["and", "or", "unless", "bool", "offset", "by", "without"]);
  return [...bare.matchAll(/(?<![\w:])[a-zA-Z_:][\w:]*(?![\w:]| *\()/g)]
    .map(([name]) => name)
    .filter((name) => !keywords.has(name) && !/^\d/.test(name));
}

/** Whether the exposition has the series: a family, or a histogram's bucket, sum or count. */
function exposes(metrics: Exposition, name: string): boolean {
  return samplesOf(metrics, name) !== undefined;
}

/** The samples of a series (a family, or a histogram's bucket, sum or count); undefined when not exposed. */
function samplesOf(metrics: Exposition, name: string): ExpositionSample[] | undefined {
  const family = metrics.families.get(name);
  if (family) return family.samples;
  const suffix = ["_bucket", "_sum", "_count"].find((s) => name.endsWith(s));
  if (suffix === undefined) return undefined;
  const histogram = metrics.families.get(name.slice(0, -suffix.length));
  if (histogram?.type !== "histogram") return undefined;
  return histogram.samples.filter((sample) => sample.name === name);
}

interface LabelMatcher {
  series: string;
  label: string;
  operator: "=" | "!=" | "=~" | "!~";
  value: string;
}

/** The label matchers of an expression, each with the series it selects: `series{label op "value", ...}`. */
function labelMatchersIn(expr: string): LabelMatcher[] {
  const matchers: LabelMatcher[] = [];
  for (const [, series = "", body = ""] of expr.matchAll(/(?<![\w:])([a-zA-Z_:][\w:]*)\{([^}]*)\}/g)) {
    for (const [, label = "", operator = "", value = ""] of body.matchAll(
      /([a-zA-Z_]\w*) *(=~|!~|!=|=) *"((?:[^"\\]|\\.)*)"/g,
    ))
      matchers.push({ series, label, operator: operator as LabelMatcher["operator"], value });
  }
  return matchers;
}

/**
 * The values an exact matcher asks for: `=`'s value, or each word of an `=~` that is a plain
 * alternation of words (`error|timeout`); none for a pattern (`5..`) or a negative matcher.
 */
function exactValuesOf(matcher: LabelMatcher): string[] {
  if (matcher.operator === "=") return [matcher.value];
  if (matcher.operator === "=~" && /^[A-Za-z_]\w*(?:\|[A-Za-z_]\w*)*$/.test(matcher.value))
    return matcher.value.split("|");
  return [];
}

describe("docs/prometheus-alerts.yml", () => {
  it("has complete rules, each reading only series the gateway or the worker exposes", async () => {
    const file = await readFile(path.join(import.meta.dirname, "../docs/prometheus-alerts.yml"), "utf8");
    const rules = z
      .object({
        groups: z
          .array(
            z.object({
              name: z.string().min(1),
              rules: z
                .array(
                  z.strictObject({
                    alert: z.string().regex(/^Dsc[A-Za-z]+$/),
                    expr: z.string().min(1),
                    for: z.string().regex(/^\d+[smh]$/),
                    labels: z.strictObject({ severity: z.enum(["critical", "warning"]) }),
                    annotations: z.strictObject({
                      summary: z.string().min(1),
                      description: z.string().min(1),
                    }),
                  }),
                )
                .min(1),
            }),
          )
          .min(1),
      })
      .parse(parseYaml(file));
    // one chat request, so that the request and upstream series have samples whose labels are read
    const { secret } = await createOrgWithKey(t.db, {
      tier: await createCustomTier(t.db, { requestsPerMinute: 100 }),
    });
    const openai = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await openai.chat.completions.create({
      model: DEFAULT_MODEL_ID,
      messages: [{ role: "user", content: "Hi" }],
    });
    const [gatewayMetrics, workerMetricsNow] = await Promise.all([
      exposition(gateway.url),
      exposition(workerMetrics.url),
    ]);
    const alerts = rules.groups.flatMap((group) => group.rules);
    expect(new Set(alerts.map((rule) => rule.alert)).size).toBe(alerts.length);
    for (const rule of alerts) {
      const names = seriesNamesIn(rule.expr);
      expect(names.length, rule.alert).toBeGreaterThan(0);
      for (const name of names) {
        expect(
          exposes(gatewayMetrics, name) || exposes(workerMetricsNow, name),
          `${rule.alert}: ${name}`,
        ).toBe(true);
      }
    }
    // every label matcher names a label of its series, and an exact one a value the series takes
    // (a job's name: one the worker runs, as this test's worker runs jobs of its own)
    for (const rule of alerts) {
      for (const matcher of labelMatchersIn(rule.expr)) {
        const where = `${rule.alert}: ${matcher.series}{${matcher.label}${matcher.operator}"${matcher.value}"}`;
        const samples = [
          ...(samplesOf(gatewayMetrics, matcher.series) ?? []),
          ...(samplesOf(workerMetricsNow, matcher.series) ?? []),
        ];
        const values = new Set(samples.flatMap((sample) => sample.labels[matcher.label] ?? []));
        if (matcher.series.startsWith("dsc_job_") && matcher.label === "job")
          for (const job of JOBS) values.add(job.id);
        expect(values.size, where).toBeGreaterThan(0);
        for (const value of exactValuesOf(matcher)) expect(values.has(value), where).toBe(true);
      }
    }
    // the reader of matchers finds each, with its series
    expect(labelMatchersIn('sum(rate(dsc_a{x="1", y=~"p|q"}[5m])) / dsc_b{z!="a\\"b"}')).toEqual([
      { series: "dsc_a", label: "x", operator: "=", value: "1" },
      { series: "dsc_a", label: "y", operator: "=~", value: "p|q" },
      { series: "dsc_b", label: "z", operator: "!=", value: 'a\\"b' },
    ]);
    expect(exactValuesOf({ series: "s", label: "l", operator: "=~", value: "5.." })).toEqual([]);
    // the reader of names finds what an expression reads, and nothing else
    expect(
      seriesNamesIn(
        'histogram_quantile(0.95, sum by (le, route) (rate(dsc_a_bucket{route!="x"}[5m]))) / max(dsc_b) > 0 and time() - dsc_c > 1',
      ),
    ).toEqual(["dsc_a_bucket", "dsc_b", "dsc_c"]);
  });
});
