import { get } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { cliActor, readChatLogs, systemClock } from "@dsc/core";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/database.ts";
import {
  completionChunk,
  type FakeUpstream,
  sseEvents,
  startFakeUpstream,
  within,
} from "../../../../test/support/fake-upstream.ts";
import { type GatewayProcess, startGatewayProcess } from "../testing/gateway-process.ts";
import { createOrgWithKey, startTestGateway, TEST_KEYRING } from "../testing/start-test-gateway.ts";

/**
 * SIGTERM to the real server process (src/server.ts under tsx, as `npm start` runs it) in front
 * of a local upstream: it stops accepting at once, lets a stream that ends within the grace end
 * normally, cuts the one that does not with an error event, and exits 0 once the usage and
 * chat logs of both are written.
 */
const MODEL = "deepseek-chst-1.0";
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/**
 * Streams by the prompt: "held" sends one chunk, then its end once `release` is called;
 * anything else sends a chunk every 50 ms until the gateway hangs up. A JSON call is never
 * answered.
 */
async function startSlowUpstream(): Promise<FakeUpstream & { release(): void }> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const upstream = await startFakeUpstream(async (response, request) => {
    if (request.body.stream !== true) return;
    response.writeHead(200, { "content-type": "text/event-stream" });
    if (JSON.stringify(request.body.messages).includes("held")) {
      response.write(sseEvents([completionChunk("first")])[0]);
      await released;
      response.end(`${sseEvents([completionChunk(" and last", "stop")])[0]}data: [DONE]\n\n`);
      return;
    }
    for (let tick = 0; tick < 10_000 && !response.destroyed; tick++) {
      response.write(sseEvents([completionChunk("tick ")])[0]);
      await sleep(50);
    }
  });
  return { ...upstream, release };
}

/** A stream of server-sent events, read as the test asks. */
async function openStream(url: string, secret: string, content: string) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content }], stream: true }),
  });
  expect(response.status).toBe(200);
  const body = response.body;
  if (!body) throw new Error("no body");
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const readUntil = async (isEnough: (text: string) => boolean) => {
    while (!isEnough(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
    }
    return text;
  };
  return {
    requestId: response.headers.get("x-request-id") ?? "",
    readUntil: (isEnough: (text: string) => boolean, what: string) =>
      within(readUntil(isEnough), 20_000, what),
    readToEnd: (what: string) =>
      within(
        readUntil(() => false),
        20_000,
        what,
      ),
  };
}

function askJson(url: string, secret: string) {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "json" }] }),
  });
}

const SHUTTING_DOWN = {
  error: {
    message: "The server is shutting down; retry the request.",
    type: "api_error",
    param: null,
    code: "shutting_down",
  },
};

/** GET /healthz on a new connection: its status, or the connection error's code. */
function healthOnNewConnection(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = get(`${url}/healthz`, { agent: false }, (response) => {
      response.resume();
      response.once("end", () => resolve(response.statusCode ?? 0));
    });
    request.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
  });
}

/** Asks on new connections until one is refused (true), or gives up after a bounded while. */
async function untilConnectionsRefused(url: string): Promise<boolean> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if ((await healthOnNewConnection(url)) === "ECONNREFUSED") return true;
    await sleep(25);
  }
  return false;
}

function lastEventOf(text: string): string {
  return text.trim().split("\n\n").at(-1) ?? "";
}

describe("SIGTERM with streams in flight", () => {
  it("refuses new connections, ends streams within the grace, cuts the rest with an error event, writes their usage and logs, and exits 0", async () => {
    const t = await createTestDatabase();
    const { org, secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const upstream = await startSlowUpstream();
    cleanups.push(upstream.close);
    const gateway: GatewayProcess = await startGatewayProcess({
      databaseUrl: t.url,
      env: {
        UPSTREAM_BASE_URL: upstream.baseUrl,
        SHUTDOWN_GRACE_MS: "3000",
        // nothing is written before the shutdown: neither the interval nor a full batch comes
        USAGE_FLUSH_INTERVAL_MS: "60000",
        USAGE_BATCH_SIZE: "10000",
      },
    });
    cleanups.push(gateway.kill);

    const endless = await openStream(gateway.url, secret, "stream forever");
    const held = await openStream(gateway.url, secret, "held until released");
    await endless.readUntil((text) => text.includes("tick"), "the endless stream's first chunk");
    await held.readUntil((text) => text.includes("first"), "the held stream's first chunk");
    const json = askJson(gateway.url, secret);
    await within(upstream.waitForRequests(3), 20_000, "the JSON call reaching the upstream");

    gateway.child.kill("SIGTERM");
    expect(await untilConnectionsRefused(gateway.url)).toBe(true);

    // within the grace: it ends as it would have without the shutdown
    upstream.release();
    const heldText = await held.readToEnd("the held stream's end");
    expect(heldText).toContain("and last");
    expect(lastEventOf(heldText)).toBe("data: [DONE]");

    // past the grace: cut with one error event in the shape of any mid-stream failure, no [DONE]
    const endlessText = await endless.readToEnd("the endless stream's end");
    expect(endlessText).toContain("tick");
    expect(endlessText).not.toContain("[DONE]");
    expect(JSON.parse(lastEventOf(endlessText).replace(/^data: /, ""))).toEqual(SHUTTING_DOWN);
    // a JSON call still waiting is answered in the error shape too
    const jsonAnswer = await within(json, 20_000, "the JSON call's answer");
    expect(jsonAnswer.status).toBe(503);
    expect(await jsonAnswer.json()).toEqual(SHUTTING_DOWN);

    expect(await within(gateway.exited, 30_000, "the gateway exiting")).toBe(0);
    expect(gateway.output()).toContain("shutdown grace over: cutting the chat completions still running");

    // both metered: the cut one with the tokens it streamed and the status of its error
    const cutUsage = await t.db.usageEvent.findFirstOrThrow({ where: { requestId: endless.requestId } });
    expect(cutUsage).toMatchObject({ organizationId: org.id, status: 503 });
    expect(cutUsage.completionTokens).toBeGreaterThan(0);
    const heldUsage = await t.db.usageEvent.findFirstOrThrow({ where: { requestId: held.requestId } });
    expect(heldUsage).toMatchObject({ organizationId: org.id, status: 200 });
    const jsonUsage = await t.db.usageEvent.findFirstOrThrow({
      where: { requestId: jsonAnswer.headers.get("x-request-id") ?? "" },
    });
    expect(jsonUsage).toMatchObject({ organizationId: org.id, status: 503 });

    // both logged: the cut turn with what the client received
    const logs = await readChatLogs(
      { db: t.db, clock: systemClock, keyring: TEST_KEYRING },
      { organizationId: org.id, actor: cliActor("test"), purpose: "test" },
    );
    const cutLog = logs.find((log) => log.requestId === endless.requestId);
    expect(JSON.stringify(cutLog?.response)).toContain("tick tick");
    expect(cutLog?.completionTokens).toBe(cutUsage.completionTokens);
    const heldLog = logs.find((log) => log.requestId === held.requestId);
    expect(JSON.stringify(heldLog?.response)).toContain("first and last");
  });
});

describe("a second SIGTERM", () => {
  it("cuts the streams at once, however long the grace, and still writes their usage before exiting 0", async () => {
    const t = await createTestDatabase();
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const upstream = await startSlowUpstream();
    cleanups.push(upstream.close);
    const gateway = await startGatewayProcess({
      databaseUrl: t.url,
      env: {
        UPSTREAM_BASE_URL: upstream.baseUrl,
        SHUTDOWN_GRACE_MS: "600000",
        USAGE_FLUSH_INTERVAL_MS: "60000",
      },
    });
    cleanups.push(gateway.kill);
    const endless = await openStream(gateway.url, secret, "stream forever");
    await endless.readUntil((text) => text.includes("tick"), "the stream's first chunk");

    gateway.child.kill("SIGTERM");
    expect(await untilConnectionsRefused(gateway.url)).toBe(true);
    gateway.child.kill("SIGTERM");

    const text = await endless.readToEnd("the stream's end");
    expect(JSON.parse(lastEventOf(text).replace(/^data: /, ""))).toEqual(SHUTTING_DOWN);
    expect(await within(gateway.exited, 30_000, "the gateway exiting")).toBe(0);
    const usage = await t.db.usageEvent.findFirstOrThrow({ where: { requestId: endless.requestId } });
    expect(usage.status).toBe(503);
  });
});

describe("while draining", () => {
  it("answers /readyz 503 naming why, keeps /healthz, and refuses other requests with 503 shutting_down", async () => {
    const t = await createTestDatabase();
    const { secret } = await createOrgWithKey(t.db);
    const gateway = await startTestGateway({ db: t.db });
    cleanups.push(gateway.close);
    gateway.draining.start();

    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: "unavailable",
      checks: { database: "up", master_key: "up", accepting: "down" },
    });
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);

    const refused = await fetch(`${gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("connection")).toBe("close");
    expect(refused.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await refused.json()).toEqual(SHUTTING_DOWN);
  });
});
