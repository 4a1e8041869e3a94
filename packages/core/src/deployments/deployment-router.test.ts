import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import type { Model, ModelDeployment } from "@dsc/db";
import { describe, expect, it } from "vitest";
import { fakeClock } from "../../../../test/support/database.ts";
import { completeWithModel } from "../chat/call-model.ts";
import type { DeployedModel } from "../organizations/served-model.ts";
import { type ChatProvider, type FailoverCause, ProviderError } from "../providers/chat-provider.ts";
import type { ProviderResolver } from "../providers/provider-resolver.ts";
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from "../providers/upstream-failure.ts";
import {
  createDeploymentRouter,
  failedBeforeAnswer,
  NoDeploymentAvailableError,
} from "./deployment-router.ts";
import { createDeploymentHealth } from "./health/create-deployment-health.ts";
import type { AttemptOutcome, DeploymentHealth } from "./health/deployment-health.ts";

/**
 * The router's choices and bounds, with in-memory providers standing in for upstreams (the
 * gateway's tests drive real HTTP ones: apps/gateway/src/chat/model-routing.test.ts).
 */

type Behaviour = "answer" | FailoverCause["reason"] | "refuse" | "break";

/** A provider per upstream model name; each records its calls and behaves as told. */
function upstreams(behaviours: Record<string, Behaviour | Behaviour[]>) {
  const calls: string[] = [];
  const behaviourOf = (name: string) => {
    const script = behaviours[name] ?? "answer";
    if (!Array.isArray(script)) return script;
    const made = calls.filter((call) => call === name).length;
    return script[Math.min(made - 1, script.length - 1)] ?? "answer";
  };
  const fail = (name: string): never => {
    const behaviour = behaviourOf(name);
    if (behaviour === "refuse")
      throw new ProviderError("bad_gateway", "upstream rejected the request (HTTP 400)");
    if (behaviour === "break") throw new ProviderError("bad_gateway", "upstream sent malformed JSON");
    const cause: FailoverCause = {
      reason: behaviour as FailoverCause["reason"],
      retryAfterMs: null,
      isRetryableInPlace: behaviour !== "timeout",
    };
    throw new ProviderError("unavailable", `failed: ${behaviour}`, cause);
  };
  const provider: ChatProvider = {
    name: "in-memory",
    async complete(call) {
      const name = call.request.model;
      calls.push(name);
      if (behaviourOf(name) !== "answer") fail(name);
      return completionFrom(name);
    },
    async stream(call) {
      const name = call.request.model;
      calls.push(name);
      if (behaviourOf(name) !== "answer") fail(name);
      return chunksUntil(call.signal, name);
    },
  };
  const resolver: ProviderResolver = {
    resolve: (route) => ({ provider, upstreamModel: route.upstreamModel ?? route.id }),
  };
  return { resolver, calls };
}

function completionFrom(name: string): ChatCompletion {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1,
    model: name,
    choices: [{ index: 0, message: { role: "assistant", content: name }, finish_reason: "stop" }],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  } as ChatCompletion;
}

/** one chunk, then holds the stream open until the reader stops */
async function* chunksUntil(signal: AbortSignal, name: string): AsyncGenerator<ChatCompletionChunk> {
  yield {
    id: "chatcmpl-test",
    object: "chat.completion.chunk",
    created: 1,
    model: name,
    choices: [{ index: 0, delta: { content: name }, finish_reason: null }],
  } as ChatCompletionChunk;
  if (signal.aborted) return;
}

/** Health that refuses the deployments named, and checks that every acquired attempt reports once. */
function recordingHealth(refused: Set<string> = new Set()) {
  const acquired: string[] = [];
  const reports: { deploymentId: string; outcome: AttemptOutcome }[] = [];
  const released: string[] = [];
  const health: DeploymentHealth = {
    tryAcquire(deploymentId) {
      if (refused.has(deploymentId)) return false;
      acquired.push(deploymentId);
      return true;
    },
    report(deploymentId, outcome) {
      reports.push({ deploymentId, outcome });
    },
    release(deploymentId) {
      released.push(deploymentId);
    },
    waitOf: () => null,
    snapshot: () => [],
    close: async () => {},
  };
  return { health, acquired, reports, released, refused };
}

let sequence = 0;
function deployment(name: string, fields: Partial<ModelDeployment> = {}): ModelDeployment {
  sequence += 1;
  return {
    id: `dep_${name}`,
    modelId: "m",
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
    createdAt: new Date(sequence),
    ...fields,
  };
}

function modelWith(deployments: ModelDeployment[], fields: Partial<Model> = {}): DeployedModel {
  return {
    id: "m",
    provider: "OPENAI_COMPATIBLE",
    upstreamBaseUrl: null,
    upstreamModel: null,
    ownedBy: "system",
    contextWindow: 8192,
    inputPricePerMTokens: 0 as unknown as Model["inputPricePerMTokens"],
    outputPricePerMTokens: 0 as unknown as Model["outputPricePerMTokens"],
    isEnabled: true,
    shutdownAt: null,
    routingStrategy: "WEIGHTED",
    aliasOfId: null,
    fallbackModelId: null,
    replacementModelId: null,
    retiredAt: null,
    createdAt: new Date(0),
    ...fields,
    deployments,
  };
}

function clockAt(startMs: number) {
  let nowMs = startMs;
  return {
    clock: { now: () => new Date(nowMs) },
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

const request = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };
const signal = new AbortController().signal;

function routerOver(
  behaviours: Record<string, Behaviour | Behaviour[]>,
  options: { refused?: Set<string>; random?: () => number; maxAttempts?: number; startMs?: number } = {},
) {
  const { resolver, calls } = upstreams(behaviours);
  const recorded = recordingHealth(options.refused);
  const time = clockAt(options.startMs ?? 0);
  const router = createDeploymentRouter({
    providers: resolver,
    health: recorded.health,
    clock: time.clock,
    random: options.random ?? (() => 0.5),
    baseRetryDelayMs: 1,
    maxRetryDelayMs: 1,
    ...(options.maxAttempts && { maxAttempts: options.maxAttempts }),
  });
  return { router, calls, ...recorded, ...time };
}

describe("choosing a deployment", () => {
  it("picks by weight with the injected random: the point falls in a deployment's share", async () => {
    const model = modelWith([deployment("a", { weight: 1 }), deployment("b", { weight: 3 })]);
    const low = routerOver({}, { random: () => 0.2 });
    expect((await low.router.complete({ model, request, signal })).deploymentId).toBe("dep_a");
    const high = routerOver({}, { random: () => 0.3 });
    expect((await high.router.complete({ model, request, signal })).deploymentId).toBe("dep_b");
  });

  it("uses weight-0 deployments only when no weighted one of the group is available", async () => {
    const model = modelWith([deployment("standby", { weight: 0 }), deployment("main", { weight: 1 })]);
    const { router, calls, refused } = routerOver({}, { random: () => 0 });
    await router.complete({ model, request, signal });
    expect(calls).toEqual(["main"]);
    refused.add("dep_main");
    await router.complete({ model, request, signal });
    expect(calls).toEqual(["main", "standby"]);
  });

  it("skips a deployment over its requests per minute until the minute turns", async () => {
    const model = modelWith([
      deployment("capped", { weight: 1_000, requestsPerMinute: 2 }),
      deployment("spare", { weight: 1 }),
    ]);
    const { router, calls, advance } = routerOver({}, { random: () => 0.5, startMs: 0 });
    for (let i = 0; i < 3; i++) await router.complete({ model, request, signal });
    expect(calls).toEqual(["capped", "capped", "spare"]);
    advance(60_000);
    await router.complete({ model, request, signal });
    expect(calls.at(-1)).toBe("capped");
  });

  it("skips a deployment over its tokens per minute, counted from the answers' usage", async () => {
    // each answer uses 5 tokens: after two, 10 ≥ 8
    const model = modelWith([
      deployment("capped", { weight: 1_000, tokensPerMinute: 8 }),
      deployment("spare", { weight: 1 }),
    ]);
    const { router, calls } = routerOver({}, { random: () => 0.5 });
    for (let i = 0; i < 3; i++) await router.complete({ model, request, signal });
    expect(calls).toEqual(["capped", "capped", "spare"]);
  });

  it("counts a stream's tokens against its tokens per minute when the client did not ask for usage, and hides the usage from it", async () => {
    const sent: ChatCompletionRequest[] = [];
    const usageStream: ChatProvider = {
      name: "usage-aware",
      complete: () => Promise.reject(new Error("not used")),
      async stream(call) {
        sent.push(call.request);
        const name = call.request.model;
        const includesUsage = call.request.stream_options?.include_usage === true;
        async function* chunks(): AsyncGenerator<ChatCompletionChunk> {
          const base = {
            id: "chatcmpl-test",
            object: "chat.completion.chunk" as const,
            created: 1,
            model: name,
          };
          yield {
            ...base,
            choices: [{ index: 0, delta: { content: name }, finish_reason: "stop" }],
            ...(includesUsage && { usage: null }),
          } as ChatCompletionChunk;
          if (includesUsage)
            yield {
              ...base,
              choices: [],
              usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
            };
        }
        return chunks();
      },
    };
    const providers: ProviderResolver = {
      resolve: (route) => ({ provider: usageStream, upstreamModel: route.upstreamModel ?? route.id }),
    };
    const router = createDeploymentRouter({
      providers,
      health: recordingHealth().health,
      clock: fakeClock(),
      random: () => 0.5,
    });
    // each stream uses 5 tokens: after two, 10 ≥ 8
    const model = modelWith([
      deployment("capped", { weight: 1_000, tokensPerMinute: 8 }),
      deployment("spare", { weight: 1 }),
    ]);
    const received: ChatCompletionChunk[] = [];
    for (let i = 0; i < 3; i++) {
      const { chunks } = await router.stream({ model, request: { ...request, stream: true }, signal });
      for await (const chunk of chunks) received.push(chunk);
    }
    expect(sent.map((asked) => asked.model)).toEqual(["capped", "capped", "spare"]);
    expect(sent[0]?.stream_options).toEqual({ include_usage: true });
    // a deployment without the limit is asked as the client asked
    expect(sent[2]?.stream_options).toBeUndefined();
    expect(received).toHaveLength(3);
    expect(received.every((chunk) => !("usage" in chunk))).toBe(true);

    // a client that asked for the usage gets it
    const asked = await router.stream({
      model: modelWith([deployment("metered", { tokensPerMinute: 1_000 })]),
      request: { ...request, stream: true, stream_options: { include_usage: true } },
      signal,
    });
    const withUsage: ChatCompletionChunk[] = [];
    for await (const chunk of asked.chunks) withUsage.push(chunk);
    expect(withUsage.at(-1)?.usage?.total_tokens).toBe(5);
  });

  it("sends to the deployment with the fewest requests in flight under LEAST_IN_FLIGHT", async () => {
    const model = modelWith([deployment("first"), deployment("second")], {
      routingStrategy: "LEAST_IN_FLIGHT",
    });
    const { router, calls } = routerOver({});
    const open = await router.stream({ model, request, signal });
    const reader = open.chunks[Symbol.asyncIterator]();
    await reader.next();
    // the first stream is still being read: the next request goes to the other deployment
    await router.complete({ model, request, signal });
    expect(calls).toEqual(["first", "second"]);
    await reader.return?.(undefined);
    await router.complete({ model, request, signal });
    expect(calls).toEqual(["first", "second", "first"]);
  });

  it("prefers the lowest priority group and uses the next only when it has nothing available", async () => {
    const model = modelWith([deployment("later", { priority: 2 }), deployment("sooner", { priority: 1 })]);
    const { router, calls, refused } = routerOver({});
    await router.complete({ model, request, signal });
    refused.add("dep_sooner");
    await router.complete({ model, request, signal });
    expect(calls).toEqual(["sooner", "later"]);
  });

  it("has nothing to offer when every deployment is disabled", async () => {
    const model = modelWith([deployment("off", { isEnabled: false })]);
    const { router, calls } = routerOver({});
    const failure = await router.complete({ model, request, signal }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NoDeploymentAvailableError);
    expect(failedBeforeAnswer(failure)).toBe(true);
    expect(calls).toEqual([]);
  });
});

describe("failing over", () => {
  it("moves to another deployment after a failure before the first byte, reporting each attempt once", async () => {
    const model = modelWith([deployment("down", { priority: 0 }), deployment("up", { priority: 1 })]);
    const { router, calls, acquired, reports } = routerOver({ down: "status_5xx" });
    const { completion, deploymentId } = await router.complete({ model, request, signal });
    expect(deploymentId).toBe("dep_up");
    expect(completion.model).toBe("m");
    expect(calls).toEqual(["down", "up"]);
    expect(acquired).toEqual(["dep_down", "dep_up"]);
    expect(reports.map((report) => [report.deploymentId, report.outcome.ok])).toEqual([
      ["dep_down", false],
      ["dep_up", true],
    ]);
  });

  it("stops after maxAttempts, with the last failure", async () => {
    const model = modelWith(["a", "b", "c", "d", "e"].map((name) => deployment(name)));
    const all = { a: "connect", b: "connect", c: "connect", d: "connect", e: "connect" } as const;
    const { router, calls } = routerOver(all, { maxAttempts: 3 });
    const failure = await router.complete({ model, request, signal }).catch((error: unknown) => error);
    expect(calls).toHaveLength(3);
    expect(new Set(calls).size).toBe(3);
    expect(failedBeforeAnswer(failure)).toBe(true);
  });

  it("asks the only deployment again when it may help (a 5xx), not after a first-byte timeout", async () => {
    const flaky = modelWith([deployment("flaky")]);
    const retried = routerOver({ flaky: ["status_5xx", "answer"] });
    await retried.router.complete({ model: flaky, request, signal });
    expect(retried.calls).toEqual(["flaky", "flaky"]);

    const slow = modelWith([deployment("slow")]);
    const timedOut = routerOver({ slow: "timeout" });
    await timedOut.router.complete({ model: slow, request, signal }).catch(() => {});
    expect(timedOut.calls).toEqual(["slow"]);
  });

  it("never retries a request the upstream refused or an answer that broke off", async () => {
    for (const behaviour of ["refuse", "break"] as const) {
      const model = modelWith([deployment("picky", { priority: 0 }), deployment("other", { priority: 1 })]);
      const { router, calls, reports } = routerOver({ picky: behaviour });
      const failure = await router.complete({ model, request, signal }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ProviderError);
      expect(failedBeforeAnswer(failure)).toBe(false);
      expect(calls).toEqual(["picky"]);
      // the deployment answered: its health is not blamed for this request
      expect(reports.map((report) => report.outcome.ok)).toEqual([true]);
    }
  });

  it("tries nothing when every deployment is refused by health", async () => {
    const model = modelWith([deployment("a"), deployment("b")]);
    const { router, calls } = routerOver({}, { refused: new Set(["dep_a", "dep_b"]) });
    const failure = await router.stream({ model, request, signal }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NoDeploymentAvailableError);
    expect(calls).toEqual([]);
  });

  it("computes a model's routes once per model object", () => {
    const model = modelWith([deployment("a"), deployment("b", { priority: 3 })]);
    const { router } = routerOver({});
    const routes = router.routesOf(model);
    expect(router.routesOf(model)).toBe(routes);
    expect(routes.groups.map((group) => group.map((routed) => routed.id))).toEqual([["dep_a"], ["dep_b"]]);
  });
});

/** A provider that answers only when told to, and otherwise waits until its call is aborted. */
function waitingUpstream() {
  const calls: string[] = [];
  const provider: ChatProvider = {
    name: "waiting",
    complete(call) {
      calls.push(call.request.model);
      return new Promise((_resolve, reject) => {
        // as the real provider does: the client's abort rejects with its reason, not a ProviderError
        call.signal.addEventListener("abort", () => reject(call.signal.reason), { once: true });
      });
    },
    stream: () => Promise.reject(new Error("not used")),
  };
  const resolver: ProviderResolver = {
    resolve: (route) => ({ provider, upstreamModel: route.upstreamModel ?? route.id }),
  };
  return { resolver, calls };
}

describe("the request's budget", () => {
  it("caps each attempt's wait for the first byte by what is left of the failover window", async () => {
    const { resolver } = upstreams({ a: "connect", b: "answer" });
    const windows: (number | undefined)[] = [];
    const recording: ProviderResolver = {
      resolve(route) {
        const resolved = resolver.resolve(route);
        return {
          upstreamModel: resolved.upstreamModel,
          provider: {
            name: "recording",
            complete(call) {
              windows.push(call.firstByteTimeoutMs);
              return resolved.provider.complete(call);
            },
            stream: (call) => resolved.provider.stream(call),
          },
        };
      },
    };
    const router = createDeploymentRouter({
      providers: recording,
      health: recordingHealth().health,
      clock: fakeClock(),
      failoverWindowMs: 5_000,
    });
    const model = modelWith([deployment("a", { priority: 0 }), deployment("b", { priority: 1 })]);
    await router.complete({ model, request, signal });
    expect(windows).toHaveLength(2);
    expect(windows[0]).toBeLessThanOrEqual(5_000);
    expect(windows[0]).toBeGreaterThan(0);
    expect(windows[1]).toBeLessThanOrEqual(windows[0] as number);
  });

  it("a fallback gets one attempt of its own, then only what is left of the request's attempts", async () => {
    const { resolver, calls } = upstreams({ a: "connect", b: "connect", c: "connect", x: "connect" });
    const router = createDeploymentRouter({
      providers: resolver,
      health: recordingHealth().health,
      clock: fakeClock(),
      maxAttempts: 3,
    });
    const model = modelWith(["a", "b", "c"].map((name) => deployment(name)));
    const fallback = modelWith([deployment("x", { priority: 0 }), deployment("y", { priority: 1 })], {
      id: "f",
    });
    const failure = await completeWithModel(
      { providers: resolver, router },
      { model, fallback, request, signal },
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    // three attempts at the model used the budget: the fallback's first is its own, no more
    expect(calls.slice(3)).toEqual(["x"]);

    // with attempts left, the fallback goes on within them
    const spare = upstreams({ a: "connect", x: "connect" });
    const roomy = createDeploymentRouter({
      providers: spare.resolver,
      health: recordingHealth().health,
      clock: fakeClock(),
      maxAttempts: 3,
    });
    // the model had nothing to try (its one deployment disabled): the fallback has the whole budget
    const answer = await completeWithModel(
      { providers: spare.resolver, router: roomy },
      { model: modelWith([deployment("a", { isEnabled: false })]), fallback, request, signal },
    );
    expect(answer.servedBy.id).toBe("f");
    expect(spare.calls).toEqual(["x", "y"]);
  });

  it("asks the same deployment again only while it is under its per-minute limits", async () => {
    const model = modelWith([deployment("capped", { requestsPerMinute: 1 })]);
    const { router, calls } = routerOver({ capped: ["status_5xx", "answer"] });
    const failure = await router.complete({ model, request, signal }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(calls).toEqual(["capped"]);
  });
});

describe("attempts that end without evidence", () => {
  const failed: AttemptOutcome = { ok: false, reason: "status_5xx", latencyMs: 1 };

  it("a client that leaves during a half-open probe frees the probe slot and leaves the breaker half-open", async () => {
    const clock = fakeClock();
    const health = await createDeploymentHealth({
      clock,
      breaker: { failureThreshold: 1, coolDownMs: 1_000 },
    });
    health.tryAcquire("dep_probe");
    health.report("dep_probe", failed);
    clock.advance(1_000);
    const { resolver, calls } = waitingUpstream();
    const router = createDeploymentRouter({ providers: resolver, health, clock });
    const client = new AbortController();
    const answer = router.complete({
      model: modelWith([deployment("probe")]),
      request,
      signal: client.signal,
    });
    client.abort(new Error("client left"));
    await expect(answer).rejects.toThrow("client left");
    expect(calls).toEqual(["probe"]);
    // no evidence: not closed, and the next request may be the probe
    expect(health.snapshot()).toContainEqual(
      expect.objectContaining({ deploymentId: "dep_probe", state: "half_open" }),
    );
    expect(health.tryAcquire("dep_probe")).toBe(true);
    expect(health.tryAcquire("dep_probe")).toBe(false);
    await health.close();
  });

  it("a client that leaves during the pause before asking the same deployment again reports nothing as a success", async () => {
    const { resolver } = upstreams({ only: "status_5xx" });
    const recorded = recordingHealth();
    const router = createDeploymentRouter({
      providers: resolver,
      health: recorded.health,
      clock: fakeClock(),
      random: () => 0.99,
      baseRetryDelayMs: 60_000,
      maxRetryDelayMs: 60_000,
    });
    const client = new AbortController();
    const answer = router.complete({
      model: modelWith([deployment("only")]),
      request,
      signal: client.signal,
    });
    // bounded: the first attempt's failure is reported within a few turns of the event loop
    for (let turn = 0; turn < 100 && recorded.reports.length === 0; turn++)
      await new Promise((r) => setImmediate(r));
    client.abort(new Error("client left"));
    await expect(answer).rejects.toThrow("client left");
    expect(recorded.reports.map((report) => report.outcome.ok)).toEqual([false]);
    expect(recorded.released).toEqual(["dep_only"]);
  });

  it("acquires nothing for a request whose client has already left", async () => {
    const { router, calls, acquired } = routerOver({});
    const gone = new AbortController();
    gone.abort(new Error("client left"));
    await expect(
      router.complete({ model: modelWith([deployment("a")]), request, signal: gone.signal }),
    ).rejects.toThrow("client left");
    expect(acquired).toEqual([]);
    expect(calls).toEqual([]);
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");

  it("reads seconds and HTTP dates, capped, and nothing else", () => {
    expect(parseRetryAfter("3", now)).toBe(3_000);
    expect(parseRetryAfter(" 1.5 ", now)).toBe(1_500);
    expect(parseRetryAfter("Tue, 01 Dec 2026 12:00:20 GMT", now)).toBe(20_000);
    // a date in the past: retry now
    expect(parseRetryAfter("Tue, 01 Dec 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("86400", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("Xyz, not a date", now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter(["7", "9"], now)).toBe(7_000);
  });
});
