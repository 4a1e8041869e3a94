/**
 * Routing benchmark: what choosing a deployment adds to a model call, in this process, against
 * an in-memory provider that answers at once (so that only the gateway's own work is timed).
 * The baseline is the call as it was before deployments: resolve the model's provider, call it,
 * put the public id on the answer. Then the router on a model with one deployment (with no
 * breakers, and with the in-memory breakers of core/deployments/health), and on models with three
 * deployments (weighted, least in flight, with per-minute limits).
 *
 *   npm run bench -- routing
 *   node --import tsx bench/routing.bench.ts
 *
 * Environment: BENCH_ROUTING_CALLS per round (200000), BENCH_ROUNDS (5; the median round is
 * reported). Prints a Markdown table and writes it, with the method, to docs/benchmarks.md.
 */
import os from "node:os";
import type { ChatCompletion } from "@dsc/api-client";
import {
  alwaysAvailableHealth,
  type ChatProvider,
  createDeploymentHealth,
  createDeploymentRouter,
  type DeployedModel,
  type DeploymentHealth,
  type ProviderResolver,
  systemClock,
} from "@dsc/core";
import { writeReportSection } from "./support/report.ts";

// named through core's types, not @dsc/db's, so that the bench's program sees one copy of them
type Deployment = DeployedModel["deployments"][number];

const CALLS = Number(process.env.BENCH_ROUTING_CALLS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const log = (message: string) => process.stderr.write(`[routing.bench] ${message}\n`);

const ANSWER: ChatCompletion = {
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "bench-upstream",
  choices: [{ index: 0, message: { role: "assistant", content: "Fine." }, finish_reason: "stop" }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
} as ChatCompletion;

const provider: ChatProvider = {
  name: "in-memory",
  complete: async () => ANSWER,
  stream: async () => {
    throw new Error("not benchmarked");
  },
};
const providers: ProviderResolver = {
  resolve: (route) => ({ provider, upstreamModel: route.upstreamModel ?? route.id }),
};

function deployment(name: string, fields: Partial<Deployment> = {}): Deployment {
  return {
    id: `dep_${name}`,
    modelId: "bench",
    upstreamBaseUrl: "http://127.0.0.1:1/v1",
    upstreamModel: name,
    apiKeyRef: null,
    weight: 1,
    priority: 0,
    requestsPerMinute: null,
    tokensPerMinute: null,
    connectTimeoutMs: null,
    firstByteTimeoutMs: null,
    totalTimeoutMs: null,
    healthCheckIntervalMs: null,
    isEnabled: true,
    createdAt: new Date(0),
    ...fields,
  };
}

function model(
  deployments: Deployment[],
  strategy: DeployedModel["routingStrategy"] = "WEIGHTED",
): DeployedModel {
  return {
    id: "bench",
    provider: "OPENAI_COMPATIBLE",
    upstreamBaseUrl: null,
    upstreamModel: null,
    ownedBy: "system",
    contextWindow: 8192,
    inputPricePerMTokens: 0 as unknown as DeployedModel["inputPricePerMTokens"],
    outputPricePerMTokens: 0 as unknown as DeployedModel["outputPricePerMTokens"],
    isEnabled: true,
    shutdownAt: null,
    routingStrategy: strategy,
    aliasOfId: null,
    fallbackModelId: null,
    replacementModelId: null,
    retiredAt: null,
    createdAt: new Date(0),
    deployments,
  };
}

const request = { model: "bench", messages: [{ role: "user" as const, content: "hi" }] };
const signal = new AbortController().signal;

/** nanoseconds per call of `call`, the median of ROUNDS rounds of CALLS sequential calls */
async function nsPerCall(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20_000, CALLS); i++) await call();
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const startedAt = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) await call();
    rounds.push(Number(process.hrtime.bigint() - startedAt) / CALLS);
  }
  rounds.sort((a, b) => a - b);
  return rounds[Math.floor(rounds.length / 2)] as number;
}

function routed(health: DeploymentHealth, target: DeployedModel) {
  const router = createDeploymentRouter({ providers, health, clock: systemClock });
  return () => router.complete({ model: target, request, signal });
}

async function main() {
  const single = model([deployment("only")]);
  const three = [deployment("a", { weight: 3 }), deployment("b"), deployment("c")];
  const breakers = await createDeploymentHealth({ clock: systemClock });
  try {
    const rows: [string, () => Promise<unknown>][] = [
      [
        "before deployments: resolve, call, public id",
        async () => {
          const { provider: resolved, upstreamModel } = providers.resolve(single);
          const answer = await resolved.complete({ request: { ...request, model: upstreamModel }, signal });
          return { ...answer, model: single.id };
        },
      ],
      ["router, one deployment, no breakers", routed(alwaysAvailableHealth, single)],
      ["router, one deployment, in-memory breakers", routed(breakers, single)],
      ["router, three deployments, weighted", routed(breakers, model(three))],
      ["router, three deployments, least in flight", routed(breakers, model(three, "LEAST_IN_FLIGHT"))],
      [
        "router, three deployments, weighted, rpm and tpm limits",
        routed(
          breakers,
          model(
            three.map((row) => ({
              ...row,
              requestsPerMinute: 1_000_000_000,
              tokensPerMinute: 1_000_000_000,
            })),
          ),
        ),
      ],
    ];
    const results: { name: string; ns: number }[] = [];
    for (const [name, call] of rows) {
      const ns = await nsPerCall(call);
      log(`${name}: ${ns.toFixed(0)} ns per call`);
      results.push({ name, ns });
    }
    const baseline = results[0]?.ns ?? 0;
    const table = [
      "| path | ns per call | added to the baseline |",
      "| --- | --- | --- |",
      ...results.map(
        ({ name, ns }) =>
          `| ${name} | ${ns.toFixed(0)} | ${name.startsWith("before") ? "—" : `${(ns - baseline).toFixed(0)} ns`} |`,
      ),
    ];
    process.stdout.write(`${table.join("\n")}\n`);
    await writeReportSection("routing", "Routing overhead", [
      `In-process, against a provider that answers at once, ${CALLS.toLocaleString("en")} sequential calls a round, the median of ${ROUNDS} rounds (Node ${process.version}, load average ${os.loadavg()[0]?.toFixed(1)} at the end). The router's work per request is the difference from the baseline: a request through the gateway to an upstream over HTTP costs hundreds of microseconds at best (the limits rows above), against which a microsecond or two does not show. Under load from other work the figures move by up to 2× between runs.`,
      "",
      ...table,
    ]);
  } finally {
    await breakers.close();
  }
}

await main();
