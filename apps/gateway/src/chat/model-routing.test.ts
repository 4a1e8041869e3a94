import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createDeploymentHealth, type DeploymentHealthService, newId } from "@dsc/core";
import OpenAI from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import {
  answerJson,
  answerSse,
  completion,
  completionChunk,
  type FakeUpstream,
  type Responder,
  sseEvents,
  startFakeUpstream,
} from "../../../../test/support/fake-upstream.ts";
import { createOrgWithKey, startTestGateway } from "../testing/start-test-gateway.ts";

/**
 * Deployments, failover, aliases, fallbacks and retirement, through the real gateway and the
 * `openai` SDK, with three fake upstreams over HTTP: one failing (500), one slow (answers
 * after far longer than its deployment's first-byte timeout), one healthy. Nothing here
 * measures time: cool-downs run on a clock the test moves, choices on a seeded random.
 */
let t: TestDatabase;
let tierId: string;
let secret: string;
let failing: FakeUpstream;
let slow: FakeUpstream;
let healthy: FakeUpstream;
const cleanups: (() => Promise<unknown>)[] = [];

/** answers with the upstream model name it was sent, so that a test sees which deployment answered */
const echoModel: Responder = (response, request) => {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(
    JSON.stringify({ ...completion(`from ${String(request.body.model)}`), model: request.body.model }),
  );
};
const echoModelStream: Responder = (response, request) =>
  answerSse(sseEvents([completionChunk(`from ${String(request.body.model)}`), completionChunk("", "stop")]))(
    response,
    request,
  );
const echo: Responder = (response, request) =>
  request.body.stream ? echoModelStream(response, request) : echoModel(response, request);

beforeAll(async () => {
  t = await createTestDatabase();
  const suffix = randomBytes(4).toString("hex");
  const tier = await t.db.tier.create({
    data: {
      id: `tier_routing_${suffix}`,
      slug: `routing-${suffix}`,
      name: `routing-${suffix}`,
      requestsPerMinute: 10_000,
      maxFileBytes: 1024n,
      isCustom: true,
    },
  });
  tierId = tier.id;
  secret = (await createOrgWithKey(t.db, { tier: tier.slug })).secret;
  failing = await startFakeUpstream(answerJson(500, { error: { message: "boom" } }));
  slow = await startFakeUpstream(async (response, request) => {
    // far past the 200 ms first-byte timeout of its deployments, unless the gateway gives up first
    await Promise.race([sleep(20_000, undefined, { ref: false }), request.closed]);
    if (!response.destroyed) echo(response, request);
  });
  healthy = await startFakeUpstream(echo);
  cleanups.push(failing.close, slow.close, healthy.close);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(3).reverse()) await cleanup();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** mulberry32: a small seeded generator, so that weighted choices repeat exactly */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface DeploymentInput {
  upstream: FakeUpstream;
  upstreamModel: string;
  weight?: number;
  priority?: number;
  firstByteTimeoutMs?: number;
}

/** A model of the test's tier (unless `inTier` is false) served by the given deployments. */
async function createModel(
  deployments: DeploymentInput[],
  extra: {
    inTier?: boolean;
    aliasOfId?: string;
    fallbackModelId?: string;
    shutdownAt?: Date;
    retiredAt?: Date;
    replacementModelId?: string;
  } = {},
) {
  const { inTier = true, ...fields } = extra;
  const id = `routed-${randomBytes(4).toString("hex")}`;
  await t.db.model.create({
    data: {
      id,
      provider: "OPENAI_COMPATIBLE",
      ...fields,
      ...(inTier && { tiers: { connect: { id: tierId } } }),
      deployments: {
        create: deployments.map((deployment) => ({
          id: newId("deployment"),
          upstreamBaseUrl: deployment.upstream.baseUrl,
          upstreamModel: deployment.upstreamModel,
          weight: deployment.weight ?? 1,
          priority: deployment.priority ?? 0,
          firstByteTimeoutMs: deployment.firstByteTimeoutMs ?? null,
        })),
      },
    },
  });
  return id;
}

/** A gateway whose deployment health runs on a clock the test moves. */
async function routingGateway(options: { seed?: number; env?: Record<string, string | number> } = {}) {
  let nowMs = Date.parse("2026-12-01T12:00:00Z");
  const healthClock = { now: () => new Date(nowMs) };
  const health: DeploymentHealthService = await createDeploymentHealth({ clock: healthClock });
  const gateway = await startTestGateway({
    db: t.db,
    deploymentHealth: health,
    routingRandom: seededRandom(options.seed ?? 42),
    ...(options.env && { env: options.env }),
  });
  cleanups.push(gateway.close, () => health.close());
  const openai = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  return {
    gateway,
    openai,
    health,
    advance: (ms: number) => {
      nowMs += ms;
    },
  };
}

const ask = (model: string) => ({ model, messages: [{ role: "user" as const, content: "hi" }] });

/** requests each upstream received for the given upstream model name, from index `from` on */
const countFor = (upstream: FakeUpstream, upstreamModel: string, from = 0) =>
  upstream.requests.slice(from).filter((request) => request.body.model === upstreamModel).length;

type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;

/** The model a request's usage event names, once the gateway metered it (`before`: its count before the request). */
async function usageModelOf(gateway: TestGateway, before: number, requestId: string) {
  await gateway.metering.whenMetered(before + 1);
  await gateway.metering.usage.flush();
  const event = await t.db.usageEvent.findFirstOrThrow({ where: { requestId } });
  return event.modelId;
}

describe("weighted routing", () => {
  it("spreads requests over a group's deployments by weight (3:1 within a tolerance, seeded)", async () => {
    const model = await createModel([
      { upstream: healthy, upstreamModel: "heavy", weight: 3 },
      { upstream: healthy, upstreamModel: "light", weight: 1 },
    ]);
    const { openai } = await routingGateway({ seed: 7 });
    const from = healthy.requests.length;
    const answers: string[] = [];
    for (let i = 0; i < 200; i++) {
      const answer = await openai.chat.completions.create(ask(model));
      answers.push(answer.choices[0]?.message.content ?? "");
      // the concrete model the client asked for, never the upstream's name
      expect(answer.model).toBe(model);
    }
    const heavy = countFor(healthy, "heavy", from);
    const light = countFor(healthy, "light", from);
    expect(heavy + light).toBe(200);
    // expected 150:50; a binomial's 99.99 % band is about ±24
    expect(heavy).toBeGreaterThan(125);
    expect(heavy).toBeLessThan(175);
    expect(answers.filter((text) => text === "from heavy")).toHaveLength(heavy);
  });

  it("uses a lower-priority group only when the preferred one has nothing available", async () => {
    const model = await createModel([
      { upstream: healthy, upstreamModel: "preferred", priority: 0 },
      { upstream: healthy, upstreamModel: "standby", priority: 5 },
    ]);
    const { openai } = await routingGateway();
    const from = healthy.requests.length;
    for (let i = 0; i < 10; i++) await openai.chat.completions.create(ask(model));
    expect(countFor(healthy, "preferred", from)).toBe(10);
    expect(countFor(healthy, "standby", from)).toBe(0);
  });
});

describe("failover", () => {
  it("moves a request to another deployment when one answers 500 before the first byte", async () => {
    const model = await createModel([
      { upstream: failing, upstreamModel: "broken", priority: 0 },
      { upstream: healthy, upstreamModel: "rescuer", priority: 1 },
    ]);
    const { openai } = await routingGateway();
    const failedBefore = failing.requests.length;
    const answer = await openai.chat.completions.create(ask(model));
    expect(answer.choices[0]?.message.content).toBe("from rescuer");
    expect(answer.model).toBe(model);
    expect(failing.requests.length).toBe(failedBefore + 1);
  });

  it("moves a request past a deployment that does not answer within its first-byte timeout", async () => {
    const model = await createModel([
      { upstream: slow, upstreamModel: "sluggish", priority: 0, firstByteTimeoutMs: 200 },
      { upstream: healthy, upstreamModel: "rescuer", priority: 1 },
    ]);
    const { openai } = await routingGateway();
    const slowBefore = slow.requests.length;
    const answer = await openai.chat.completions.create(ask(model));
    expect(answer.choices[0]?.message.content).toBe("from rescuer");
    expect(slow.requests.length).toBe(slowBefore + 1);
  });

  it("with the default window, moves past a deployment that never answers within the gateway's first-byte timeout", async () => {
    // the gateway's own UPSTREAM_FIRST_BYTE_TIMEOUT_MS, small, and no window set: its default.
    // undici fires a headers timeout up to about 1 s late, hence not smaller
    const model = await createModel([
      { upstream: slow, upstreamModel: "sluggish", priority: 0 },
      { upstream: healthy, upstreamModel: "rescuer", priority: 1 },
    ]);
    const { openai } = await routingGateway({ env: { UPSTREAM_FIRST_BYTE_TIMEOUT_MS: 1_500 } });
    const slowBefore = slow.requests.length;
    const answer = await openai.chat.completions.create(ask(model));
    expect(answer.choices[0]?.message.content).toBe("from rescuer");
    expect(slow.requests.length).toBe(slowBefore + 1);
  });

  it("fails a stream over before its first byte", async () => {
    const model = await createModel([
      { upstream: failing, upstreamModel: "broken", priority: 0 },
      { upstream: healthy, upstreamModel: "rescuer", priority: 1 },
    ]);
    const { openai } = await routingGateway();
    const stream = await openai.chat.completions.create({ ...ask(model), stream: true });
    const texts: string[] = [];
    for await (const chunk of stream) {
      texts.push(chunk.choices[0]?.delta.content ?? "");
      expect(chunk.model).toBe(model);
    }
    expect(texts.join("")).toBe("from rescuer");
  });

  it("fails over an answer that broke before any of it reached the client, and counts it against the deployment", async () => {
    const brokenFirst = await startFakeUpstream((response, request) => {
      if (request.body.stream)
        return answerSse([`data: ${JSON.stringify({ error: { message: "oops" } })}\n\n`])(response, request);
      response.writeHead(200, { "content-type": "application/json", "content-length": "500" });
      response.write('{"id":"chatcmpl-');
      setTimeout(() => response.destroy(), 20);
    });
    cleanups.push(brokenFirst.close);
    const model = await createModel([
      { upstream: brokenFirst, upstreamModel: "broken-early", priority: 0 },
      { upstream: healthy, upstreamModel: "rescuer", priority: 1 },
    ]);
    const { openai, health } = await routingGateway();
    const answer = await openai.chat.completions.create(ask(model));
    expect(answer.choices[0]?.message.content).toBe("from rescuer");
    const stream = await openai.chat.completions.create({ ...ask(model), stream: true });
    const texts: string[] = [];
    for await (const chunk of stream) texts.push(chunk.choices[0]?.delta.content ?? "");
    expect(texts.join("")).toBe("from rescuer");
    expect(brokenFirst.requests).toHaveLength(2);
    const brokenId = (await t.db.modelDeployment.findFirstOrThrow({ where: { modelId: model, priority: 0 } }))
      .id;
    expect(health.collect().find((figures) => figures.deploymentId === brokenId)?.attempts).toMatchObject({
      broken_answer: 2,
      ok: 0,
    });
  });

  it("never fails over once a stream has begun: the stream ends with an error event", async () => {
    const breaksAfterOne = await startFakeUpstream((response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(sseEvents([completionChunk("partial")])[0]);
      setTimeout(() => response.destroy(), 30);
    });
    cleanups.push(breaksAfterOne.close);
    const model = await createModel([
      { upstream: breaksAfterOne, upstreamModel: "fragile", priority: 0 },
      { upstream: healthy, upstreamModel: "unused", priority: 1 },
    ]);
    const { openai } = await routingGateway();
    const stream = await openai.chat.completions.create({ ...ask(model), stream: true });
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? "");
    })().catch((error: unknown) => error);
    expect(received).toEqual(["partial"]);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(countFor(healthy, "unused")).toBe(0);
  });

  it("answers 502 when every attempt failed and the model has no fallback", async () => {
    const model = await createModel([{ upstream: failing, upstreamModel: "broken" }]);
    const { openai } = await routingGateway();
    const failure = await openai.chat.completions.create(ask(model)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });
});

describe("cool-downs", () => {
  it("cools a deployment down for its 429's Retry-After: the next requests go elsewhere until it passes", async () => {
    const limited = await startFakeUpstream([
      answerJson(429, { error: { message: "slow down" } }, { "retry-after": "30" }),
      echo,
    ]);
    cleanups.push(limited.close);
    const model = await createModel([
      { upstream: limited, upstreamModel: "limited", priority: 0 },
      { upstream: healthy, upstreamModel: "spare", priority: 1 },
    ]);
    const { openai, advance } = await routingGateway();
    const first = await openai.chat.completions.create(ask(model));
    expect(first.choices[0]?.message.content).toBe("from spare");
    expect(limited.requests).toHaveLength(1);

    const second = await openai.chat.completions.create(ask(model));
    expect(second.choices[0]?.message.content).toBe("from spare");
    // cooling: not asked again
    expect(limited.requests).toHaveLength(1);

    advance(31_000);
    const third = await openai.chat.completions.create(ask(model));
    expect(third.choices[0]?.message.content).toBe("from limited");
    expect(limited.requests).toHaveLength(2);
  });
});

describe("answers when no deployment may be asked", () => {
  type ApiError = InstanceType<typeof OpenAI.APIError>;

  it("answers 429 rate_limit_exceeded with the cool-down's Retry-After when every deployment is cooling after upstream 429s", async () => {
    const limited = await startFakeUpstream(
      answerJson(429, { error: { message: "slow down" } }, { "retry-after": "30" }),
    );
    cleanups.push(limited.close);
    const model = await createModel([{ upstream: limited, upstreamModel: "only-one" }]);
    const { openai, advance } = await routingGateway();
    for (const round of [1, 2]) {
      const failure = (await openai.chat.completions
        .create(ask(model))
        .catch((error: unknown) => error)) as ApiError;
      expect(failure).toBeInstanceOf(OpenAI.APIError);
      expect(failure.status).toBe(429);
      expect(failure.code).toBe("rate_limit_exceeded");
      expect(failure.headers?.get("retry-after")).toBe(round === 1 ? "30" : "20");
      // the cooling deployment is not asked again
      expect(limited.requests).toHaveLength(1);
      advance(10_000);
    }
  });

  it("answers 503 with a Retry-After of at most 60 s while the breakers are open", async () => {
    const model = await createModel([{ upstream: failing, upstreamModel: "open-breaker" }]);
    const { openai, health } = await routingGateway();
    const failedBefore = failing.requests.length;
    // default breaker: 5 consecutive failures; each request makes up to 3 attempts
    for (let i = 0; i < 2; i++) await openai.chat.completions.create(ask(model)).catch(() => {});
    expect(health.snapshot().map((state) => state.state)).toContain("open");
    const asked = failing.requests.length;
    expect(asked - failedBefore).toBe(5);
    const failure = (await openai.chat.completions
      .create(ask(model))
      .catch((error: unknown) => error)) as ApiError;
    expect(failure.status).toBe(503);
    expect(failure.headers?.get("retry-after")).toBe("30");
    expect(failing.requests.length).toBe(asked);
  });
});

describe("aliases", () => {
  it("serves an alias as its target: the answer and the usage name the target, and /v1/models lists the alias", async () => {
    const target = await createModel([{ upstream: healthy, upstreamModel: "concrete" }]);
    // the tier names only the target: an alias of a model the tier may use is usable too
    const alias = await createModel([], { inTier: false, aliasOfId: target });
    const { openai, gateway } = await routingGateway();
    const before = gateway.metering.metered;
    const response = await openai.chat.completions.create(ask(alias)).withResponse();
    expect(response.data.model).toBe(target);
    expect(response.data.choices[0]?.message.content).toBe("from concrete");
    const requestId = response.response.headers.get("x-request-id") ?? "";
    expect(await usageModelOf(gateway, before, requestId)).toBe(target);

    const listed = (await openai.models.list()).data.map((model) => model.id);
    expect(listed).toContain(alias);
    expect(listed).toContain(target);
  });

  it("serves an alias the tier names even when the tier does not name its target", async () => {
    const target = await createModel([{ upstream: healthy, upstreamModel: "hidden-target" }], {
      inTier: false,
    });
    const alias = await createModel([], { aliasOfId: target });
    const { openai } = await routingGateway();
    const answer = await openai.chat.completions.create(ask(alias));
    expect(answer.model).toBe(target);
    expect(answer.choices[0]?.message.content).toBe("from hidden-target");
    // the target itself stays out of reach
    const direct = await openai.chat.completions.create(ask(target)).catch((error: unknown) => error);
    expect((direct as InstanceType<typeof OpenAI.APIError>).status).toBe(404);
  });
});

describe("fallbacks", () => {
  it("answers with the fallback model when every deployment failed before the first byte, and bills it", async () => {
    const fallback = await createModel([{ upstream: healthy, upstreamModel: "backup" }]);
    const model = await createModel([{ upstream: failing, upstreamModel: "broken" }], {
      fallbackModelId: fallback,
    });
    const { openai, gateway } = await routingGateway();
    const before = gateway.metering.metered;
    const response = await openai.chat.completions.create(ask(model)).withResponse();
    expect(response.data.model).toBe(fallback);
    expect(response.data.choices[0]?.message.content).toBe("from backup");
    const requestId = response.response.headers.get("x-request-id") ?? "";
    expect(await usageModelOf(gateway, before, requestId)).toBe(fallback);
  });

  it("answers with the fallback model when the model has no deployment available (all disabled)", async () => {
    const fallback = await createModel([{ upstream: healthy, upstreamModel: "standby-model" }]);
    const model = await createModel([{ upstream: healthy, upstreamModel: "switched-off" }], {
      fallbackModelId: fallback,
    });
    await t.db.modelDeployment.updateMany({ where: { modelId: model }, data: { isEnabled: false } });
    const { openai } = await routingGateway();
    const stream = await openai.chat.completions.create({ ...ask(model), stream: true });
    const texts: string[] = [];
    for await (const chunk of stream) {
      texts.push(chunk.choices[0]?.delta.content ?? "");
      expect(chunk.model).toBe(fallback);
    }
    expect(texts.join("")).toBe("from standby-model");
    expect(countFor(healthy, "switched-off")).toBe(0);
  });

  it("goes one hop only: a fallback's own fallback is never used", async () => {
    const last = await createModel([{ upstream: healthy, upstreamModel: "second-hop" }]);
    const fallback = await createModel([{ upstream: failing, upstreamModel: "broken" }], {
      fallbackModelId: last,
    });
    const model = await createModel([{ upstream: failing, upstreamModel: "broken" }], {
      fallbackModelId: fallback,
    });
    const { openai } = await routingGateway();
    const failure = await openai.chat.completions.create(ask(model)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(countFor(healthy, "second-hop")).toBe(0);
  });
});

describe("retirement", () => {
  it("answers a model past its shutdown with 404 model_not_found naming the replacement", async () => {
    const replacement = await createModel([{ upstream: healthy, upstreamModel: "successor" }]);
    const retired = await createModel([{ upstream: healthy, upstreamModel: "old" }], {
      shutdownAt: new Date("2020-01-01T00:00:00Z"),
      replacementModelId: replacement,
    });
    const { openai } = await routingGateway();
    const failure = (await openai.chat.completions
      .create(ask(retired))
      .catch((error: unknown) => error)) as InstanceType<typeof OpenAI.APIError>;
    expect(failure.status).toBe(404);
    expect(failure.code).toBe("model_not_found");
    expect(failure.message).toContain(replacement);
    expect(failure.message).toContain("2020-01-01");
    expect(countFor(healthy, "old")).toBe(0);
  });

  it("announces a future shutdown with Deprecation (since its retirement), Sunset and Link headers, and lists shutdown_date", async () => {
    const replacement = await createModel([{ upstream: healthy, upstreamModel: "successor" }]);
    const shutdownAt = new Date("2999-03-01T00:00:00Z");
    const retiredAt = new Date("2026-11-20T09:30:00Z");
    const retiring = await createModel([{ upstream: healthy, upstreamModel: "retiring" }], {
      shutdownAt,
      retiredAt,
      replacementModelId: replacement,
    });
    const { openai } = await routingGateway();
    const { response } = await openai.chat.completions.create(ask(retiring)).withResponse();
    // RFC 9745: the date it became deprecated, not the shutdown
    expect(response.headers.get("deprecation")).toBe(`@${retiredAt.getTime() / 1000}`);
    expect(response.headers.get("sunset")).toBe("Fri, 01 Mar 2999 00:00:00 GMT");
    expect(response.headers.get("link")).toBe(`</v1/models/${replacement}>; rel="successor-version"`);

    const stream = await openai.chat.completions.create({ ...ask(retiring), stream: true }).withResponse();
    expect(stream.response.headers.get("deprecation")).toBe(`@${retiredAt.getTime() / 1000}`);
    for await (const _chunk of stream.data) {
      // read to the end
    }

    const listed = await openai.models.retrieve(retiring);
    expect((listed as unknown as { shutdown_date: string }).shutdown_date).toBe("2999-03-01");
    const plain = await openai.chat.completions.create(ask(replacement)).withResponse();
    expect(plain.response.headers.get("deprecation")).toBeNull();
  });
});
