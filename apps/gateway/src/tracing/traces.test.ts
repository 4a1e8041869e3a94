import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/database.ts";
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
import { type GatewayProcess, startGatewayProcess } from "../testing/gateway-process.ts";
import { createOrgWithKey } from "../testing/start-test-gateway.ts";

/**
 * Traces through the real server process (src/server.ts) with OTEL_EXPORTER_OTLP_ENDPOINT set,
 * exported to an OTLP/HTTP receiver in this test; and the same process without it.
 */

// what must never leave in a trace: the prompt, the answer, the end user and the key
const PROMPT = `prompt-${randomBytes(6).toString("hex")}`;
const ANSWER = `answer-${randomBytes(6).toString("hex")}`;
const END_USER = `end-user-${randomBytes(6).toString("hex")}`;
const MODEL = "deepseek-chst-1.0";
const SDK_LOADED = "opentelemetry-sdk-resolved";

const t = await createTestDatabase();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A preload that says on stderr when anything imports the tracing SDK or its exporter. */
async function sdkLoadReporter(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "dsc-otel-hook-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const file = path.join(dir, "report-sdk-loads.mjs");
  await writeFile(
    file,
    `import { registerHooks } from "node:module";
registerHooks({
  resolve(specifier, context, next) {
    if (/^@opentelemetry\\/(sdk-trace|exporter-trace-otlp-http)$/.test(specifier))
      process.stderr.write("${SDK_LOADED} " + specifier + "\\n");
    return next(specifier, context);
  },
});
`,
  );
  return `--import=${pathToFileURL(file).href}`;
}

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  startTimeUnixNano: string;
  name: string;
  kind: number;
  status: { code?: number };
  attributes: Record<string, unknown>;
  links?: { traceId: string; spanId: string }[];
}

/** An OTLP/HTTP receiver on 127.0.0.1 that keeps every JSON export request. */
async function startOtlpReceiver() {
  const bodies: string[] = [];
  const contentTypes: string[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    if (request.method === "POST" && request.url === "/v1/traces") {
      contentTypes.push(request.headers["content-type"] ?? "");
      bodies.push(Buffer.concat(parts).toString("utf8"));
    }
    response.writeHead(200, { "content-type": "application/json" });
    response.end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    contentTypes,
    spans: () => bodies.flatMap(spansOf),
    serviceNames: () =>
      bodies.flatMap((body) =>
        (JSON.parse(body).resourceSpans as { resource: { attributes: OtlpAttribute[] } }[]).map(
          (resourceSpans) => attributesOf(resourceSpans.resource.attributes)["service.name"],
        ),
      ),
  };
}

interface OtlpAttribute {
  key: string;
  value: Record<string, unknown>;
}

function spansOf(body: string): ExportedSpan[] {
  const request = JSON.parse(body) as {
    resourceSpans: {
      scopeSpans: { spans: (Omit<ExportedSpan, "attributes"> & { attributes?: OtlpAttribute[] })[] }[];
    }[];
  };
  return request.resourceSpans.flatMap((resource) =>
    resource.scopeSpans.flatMap((scope) =>
      scope.spans.map((span) => ({ ...span, attributes: attributesOf(span.attributes ?? []) })),
    ),
  );
}

function attributesOf(attributes: OtlpAttribute[]): Record<string, unknown> {
  return Object.fromEntries(
    attributes.map(({ key, value }) => {
      if ("intValue" in value) return [key, Number(value.intValue)];
      if ("arrayValue" in value) {
        const values = (value.arrayValue as { values?: Record<string, unknown>[] }).values ?? [];
        return [key, values.map((item) => Object.values(item)[0])];
      }
      return [key, Object.values(value)[0]];
    }),
  );
}

/** Waits (bounded) until the exported spans satisfy `isComplete`. */
async function spansWhen(
  receiver: { spans(): ExportedSpan[] },
  isComplete: (spans: ExportedSpan[]) => boolean,
): Promise<ExportedSpan[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const spans = receiver.spans();
    if (isComplete(spans)) return spans;
    await sleep(50);
  }
  throw new Error(`the spans never came: ${JSON.stringify(receiver.spans().map((span) => span.name))}`);
}

function traceparentOf(traceId: string, spanId: string): string {
  return `00-${traceId}-${spanId}-01`;
}

function one(spans: ExportedSpan[], predicate: (span: ExportedSpan) => boolean, what: string): ExportedSpan {
  const found = spans.filter(predicate);
  if (found.length !== 1) throw new Error(`expected one ${what}, found ${found.length}`);
  return found[0] as ExportedSpan;
}

/** The gateway's "request" log lines (pino JSON on stdout). */
function requestLines(gateway: GatewayProcess): Record<string, unknown>[] {
  return gateway
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === "request");
}

/** Waits (bounded) for a request line: the log is written asynchronously. */
async function requestLineOf(
  gateway: GatewayProcess,
  predicate: (line: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const line = requestLines(gateway).find(predicate);
    if (line) return line;
    await sleep(50);
  }
  throw new Error("the request's log line never came");
}

async function startUpstream(script: Responder[]): Promise<FakeUpstream> {
  const upstream = await startFakeUpstream(script);
  cleanups.push(() => upstream.close());
  return upstream;
}

async function startGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({ databaseUrl: t.url, env });
  cleanups.push(() => gateway.kill());
  return gateway;
}

describe("with OTEL_EXPORTER_OTLP_ENDPOINT", () => {
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let upstream: FakeUpstream;
  let gateway: GatewayProcess;
  let client: OpenAI;
  let secret: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    upstream = await startUpstream([
      answerJson(200, completion(ANSWER)),
      // the second call: one refusal, then the answer (two attempts)
      answerJson(503, { error: { message: "busy" } }),
      answerJson(200, completion(ANSWER)),
      answerSse([
        ...sseEvents([completionChunk(ANSWER), completionChunk("", "stop")]),
        ...sseEvents([
          {
            id: "chatcmpl-upstream",
            object: "chat.completion.chunk",
            created: 1_700_000_000,
            model: "upstream-model",
            choices: [],
            usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
          },
        ]),
      ]),
    ]);
    ({ secret } = await createOrgWithKey(t.db, { tier: "pro" }));
    gateway = await startGateway({
      UPSTREAM_BASE_URL: upstream.baseUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: "50",
      USAGE_FLUSH_INTERVAL_MS: "50",
      NODE_OPTIONS: await sdkLoadReporter(),
    });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: secret, maxRetries: 0 });
  });

  it("exports the request's span under the caller's traceparent, with its children and GenAI attributes, and passes the trace on upstream", async () => {
    const traceId = randomBytes(16).toString("hex");
    const callerSpanId = randomBytes(8).toString("hex");
    const answer = await client.chat.completions.create(
      {
        model: MODEL,
        messages: [{ role: "user", content: PROMPT }],
        max_tokens: 50,
        // deterministic: the cache is looked up
        temperature: 0,
        user: END_USER,
      },
      { headers: { traceparent: traceparentOf(traceId, callerSpanId), tracestate: "vendor=opaque" } },
    );
    expect(answer.choices[0]?.message.content).toBe(ANSWER);

    const spans = await spansWhen(
      receiver,
      (all) =>
        all.some((span) => span.traceId === traceId && span.kind === 2) &&
        all.some(
          (span) =>
            span.name === "write usage events" && span.links?.some((link) => link.traceId === traceId),
        ) &&
        all.some(
          (span) => span.name === "write chat logs" && span.links?.some((link) => link.traceId === traceId),
        ),
    );
    const server = one(spans, (span) => span.traceId === traceId && span.kind === 2, "server span");
    expect(server).toMatchObject({ name: "POST /v1/chat/completions", parentSpanId: callerSpanId });
    expect(server.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/v1/chat/completions",
      "http.response.status_code": 200,
    });
    const children = spans.filter((span) => span.parentSpanId === server.spanId);
    expect(children.map((span) => span.name).sort()).toEqual(
      [
        "authenticate",
        "cache lookup",
        "cache store",
        `chat ${MODEL}`,
        "chat log queued",
        "rate limits",
        "usage record queued",
      ].sort(),
    );
    expect(children.every((span) => span.traceId === traceId)).toBe(true);
    expect(one(children, (span) => span.name === "cache lookup", "cache span").attributes).toMatchObject({
      "dsc.cache.hit": false,
    });

    const generation = one(children, (span) => span.name === `chat ${MODEL}`, "GenAI span");
    expect(generation.kind).toBe(3);
    expect(generation.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": MODEL,
      "gen_ai.response.model": MODEL,
      "gen_ai.request.max_tokens": 50,
      "gen_ai.request.temperature": 0,
      "gen_ai.request.stream": false,
      "gen_ai.usage.input_tokens": 5,
      "gen_ai.usage.output_tokens": 2,
      "gen_ai.response.finish_reasons": ["stop"],
    });
    const attempt = one(spans, (span) => span.parentSpanId === generation.spanId, "upstream attempt");
    expect(attempt).toMatchObject({ name: "POST /v1/chat/completions", kind: 3, traceId });
    expect(attempt.attributes).toMatchObject({
      "http.response.status_code": 200,
      "server.address": "127.0.0.1",
    });

    // the upstream got the trace, with the attempt's span as its parent, and the caller's tracestate
    expect(upstream.requests[0]?.headers.traceparent).toBe(traceparentOf(traceId, attempt.spanId));
    expect(upstream.requests[0]?.headers.tracestate).toBe("vendor=opaque");
    // queuing the usage record and the chat log are short spans of the request; the batch
    // writes are traces of their own, linked to those spans
    const inRequest = spans.filter((span) => span.traceId === traceId);
    for (const [queuedName, writeName] of [
      ["usage record queued", "write usage events"],
      ["chat log queued", "write chat logs"],
    ] as const) {
      const queued = one(inRequest, (span) => span.name === queuedName, queuedName);
      expect(queued.parentSpanId, queuedName).toBe(server.spanId);
      const write = one(
        spans,
        (span) => span.name === writeName && (span.links ?? []).some((link) => link.traceId === traceId),
        writeName,
      );
      expect(write.traceId).not.toBe(traceId);
      expect(write.parentSpanId ?? "").toBe("");
      expect(write.links).toContainEqual(expect.objectContaining({ traceId, spanId: queued.spanId }));
    }
    expect(new Set(receiver.serviceNames())).toEqual(new Set(["dsc-gateway"]));

    const everything = receiver.bodies.join("\n");
    for (const secretText of [PROMPT, ANSWER, END_USER, secret]) expect(everything).not.toContain(secretText);

    expect(new Set(receiver.contentTypes)).toEqual(new Set(["application/json"]));
    const line = await requestLineOf(gateway, (entry) => entry.trace_id === traceId);
    expect(line).toMatchObject({ route: "/v1/chat/completions", status: 200, span_id: server.spanId });
    expect(gateway.output()).toContain(`${SDK_LOADED} @opentelemetry/sdk-trace`);
  });

  it("makes one client span per upstream attempt under the model call's span", async () => {
    const traceId = randomBytes(16).toString("hex");
    await client.chat.completions.create(
      { model: MODEL, messages: [{ role: "user", content: PROMPT }] },
      { headers: { traceparent: traceparentOf(traceId, randomBytes(8).toString("hex")) } },
    );
    const spans = await spansWhen(receiver, (all) =>
      all.some((span) => span.traceId === traceId && span.name === `chat ${MODEL}`),
    );
    const generation = one(
      spans,
      (span) => span.traceId === traceId && span.name === `chat ${MODEL}`,
      "GenAI span",
    );
    const attempts = spans
      .filter((span) => span.parentSpanId === generation.spanId)
      .sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
    expect(attempts.map((span) => span.attributes["http.response.status_code"])).toEqual([503, 200]);
    expect(attempts.map((span) => span.status.code ?? 0)).toEqual([2, 0]);
    const received = upstream.requests.slice(1, 3).map((request) => request.headers.traceparent);
    expect(received).toEqual(attempts.map((span) => traceparentOf(traceId, span.spanId)));
  });

  it("ends a stream's GenAI span with the usage of its end", async () => {
    const traceId = randomBytes(16).toString("hex");
    const stream = await client.chat.completions.create(
      {
        model: MODEL,
        messages: [{ role: "user", content: PROMPT }],
        stream: true,
        stream_options: { include_usage: true },
      },
      { headers: { traceparent: traceparentOf(traceId, randomBytes(8).toString("hex")) } },
    );
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe(ANSWER);
    const spans = await spansWhen(receiver, (all) =>
      all.some((span) => span.traceId === traceId && span.name === `chat ${MODEL}`),
    );
    const generation = one(
      spans,
      (span) => span.traceId === traceId && span.name === `chat ${MODEL}`,
      "GenAI span",
    );
    expect(generation.attributes).toMatchObject({
      "gen_ai.request.stream": true,
      "gen_ai.usage.input_tokens": 11,
      "gen_ai.usage.output_tokens": 3,
    });
    expect(receiver.bodies.join("\n")).not.toContain(PROMPT);
  });
});

describe("without an OTLP endpoint", () => {
  it("loads no SDK, passes no traceparent upstream and logs no trace id", async () => {
    const upstream = await startUpstream([answerJson(200, completion(ANSWER))]);
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const gateway = await startGateway({
      UPSTREAM_BASE_URL: upstream.baseUrl,
      NODE_OPTIONS: await sdkLoadReporter(),
    });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: secret, maxRetries: 0 });
    const traceId = randomBytes(16).toString("hex");
    await client.chat.completions.create(
      { model: MODEL, messages: [{ role: "user", content: PROMPT }] },
      { headers: { traceparent: traceparentOf(traceId, randomBytes(8).toString("hex")) } },
    );
    expect(upstream.requests[0]?.headers.traceparent).toBeUndefined();
    await requestLineOf(gateway, (line) => line.route === "/v1/chat/completions");
    const lines = requestLines(gateway);
    expect(lines.every((line) => line.trace_id === undefined)).toBe(true);
    expect(gateway.output()).not.toContain(SDK_LOADED);
  });
});
